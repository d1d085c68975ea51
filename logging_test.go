package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
)

// TestProviderLogsOnlyWhenTerraformShowsThem starts the built provider as Terraform does and
// asks it for its schema, a request the SDK logs at TRACE. With no log level for providers in
// Terraform's environment, which the provider inherits, Terraform would discard every line, so
// the provider must write none; with one, the lines must still come.
func TestProviderLogsOnlyWhenTerraformShowsThem(t *testing.T) {
	binary := filepath.Join(t.TempDir(), "terraform-provider-sagemaker")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		name     string
		env      []string
		wantLogs bool
	}{
		{name: "no TF_LOG", wantLogs: false},
		{name: "TF_LOG=off", env: []string{"TF_LOG=off"}, wantLogs: false},
		{name: "TF_LOG_PROVIDER=OFF over TF_LOG=TRACE", env: []string{"TF_LOG=TRACE", "TF_LOG_PROVIDER=OFF"}, wantLogs: false},
		{name: "TF_LOG=DEBUG", env: []string{"TF_LOG=DEBUG"}, wantLogs: true},
		{name: "TF_LOG_PROVIDER=TRACE", env: []string{"TF_LOG_PROVIDER=TRACE"}, wantLogs: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stderr := schemaRequestStderr(t, binary, tc.env)
			// Every line of the SDK's and the provider's loggers names its module; go-plugin's
			// one line with the plugin's address does not.
			moduleLines := strings.Count(stderr, `"@module":`)
			if gotLogs := strings.Contains(stderr, `"@message":"Received request"`); gotLogs != tc.wantLogs {
				t.Errorf("the provider logged the request: %t, want %t; its stderr:\n%.2000s", gotLogs, tc.wantLogs, stderr)
			}
			if !tc.wantLogs && moduleLines != 0 {
				t.Errorf("the provider wrote %d log lines that Terraform would discard:\n%.2000s", moduleLines, stderr)
			}
		})
	}
}

// schemaRequestStderr runs the provider binary as a plugin, with env added to an environment
// cleared of log settings, sends it GetProviderSchema and returns what it wrote to stderr.
func schemaRequestStderr(t *testing.T, binary string, env []string) string {
	t.Helper()
	cmd := exec.Command(binary)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_LOG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// The handshake Terraform's plugin client makes (terraform-plugin-go's tf6server).
	cmd.Env = append(cmd.Env, "TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2", "PLUGIN_PROTOCOL_VERSIONS=6")
	cmd.Env = append(cmd.Env, env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	// The handshake line reads "1|6|unix|/tmp/plugin...|grpc|".
	handshake, err := bufio.NewReader(stdout).ReadString('\n')
	fields := strings.Split(handshake, "|")
	if err != nil || len(fields) < 5 || fields[2] != "unix" {
		t.Fatalf("plugin handshake %q: %v; stderr:\n%s", handshake, err, stderr.String())
	}
	conn, err := grpc.NewClient("unix:"+fields[3], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// GetProviderSchema's request is an empty message; its response is read and dropped.
	if err := conn.Invoke(ctx, "/tfplugin6.Provider/GetProviderSchema", &emptypb.Empty{}, &emptypb.Empty{}); err != nil {
		t.Fatalf("GetProviderSchema: %v", err)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	return stderr.String()
}
