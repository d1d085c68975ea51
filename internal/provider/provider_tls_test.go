package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// startEmulatorTLS serves the emulator over HTTPS with a certificate from a CA made for the
// test, and returns the CA's PEM file.
func startEmulatorTLS(t *testing.T) (*testEmulator, string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTemplate := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "terraform-provider-sagemaker test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	serverKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serverDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca, &serverKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}

	emu := emulator.New(emulator.Config{})
	server := httptest.NewUnstartedServer(emu)
	server.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{serverDER}, PrivateKey: serverKey}}}
	server.StartTLS()
	t.Cleanup(server.Close)

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &testEmulator{Emulator: emu, url: server.URL}, caFile
}

func TestAccProvider_customCABundle(t *testing.T) {
	t.Parallel()
	emu, caFile := startEmulatorTLS(t)
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "private-ca"})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// insecure is off by default: an unknown CA is refused. A single attempt keeps the
				// test short; by default the failure is retried max_retries times.
				Config:      emu.providerConfigWith("max_retries = 1") + extensionConfig(planARN, offeringID, ""),
				ExpectError: errorMatching("validating provider credentials", "certificate signed by unknown authority"),
			},
			{
				Config: emu.providerConfigWith(fmt.Sprintf("custom_ca_bundle = %q", caFile)) + extensionConfig(planARN, offeringID, ""),
				Check:  emu.checkBoughtOnce,
			},
		},
	})
	emu.expectPurchases(t, 1)
}
