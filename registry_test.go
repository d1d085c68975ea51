package main

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// registryTestVersion is the version the test release is built as.
const registryTestVersion = "0.0.1"

// TestRegistryInstall installs the provider the way a Registry user does: from the release
// archives that the goreleaser configuration builds (a snapshot, unsigned, for this platform
// only), checked against SHA256SUMS, through terraform init with no dev_overrides, and then
// plans against the emulator. It checks the manifest, the archive layout and the binary name
// that a Registry release depends on.
func TestRegistryInstall(t *testing.T) {
	terraform := terraformCLI(t)
	goreleaser := os.Getenv("GORELEASER")
	if goreleaser == "" {
		t.Fatal("no goreleaser: set GORELEASER or run make test, which installs it")
	}
	dist := t.TempDir()
	release := exec.Command(goreleaser, "release", "--snapshot", "--clean", "--skip=sign,publish,before", "--config", hostOnlyReleaseConfig(t, dist))
	if out, err := release.CombinedOutput(); err != nil {
		t.Fatalf("goreleaser release: %v\n%s", err, out)
	}

	// The files a Registry release publishes, named as the Registry expects: the archive, holding
	// terraform-provider-sagemaker_v<version>, and SHA256SUMS, which also covers the manifest
	// the release uploads from terraform-registry-manifest.json.
	prefix := filepath.Join(dist, "terraform-provider-sagemaker_"+registryTestVersion)
	archive := fmt.Sprintf("%s_%s_%s.zip", prefix, runtime.GOOS, runtime.GOARCH)
	sums := readFile(t, prefix+"_SHA256SUMS")
	for name, content := range map[string]string{
		filepath.Base(archive):                   readFile(t, archive),
		filepath.Base(prefix + "_manifest.json"): readFile(t, "terraform-registry-manifest.json"),
	} {
		sum := sha256.Sum256([]byte(content))
		if want := hex.EncodeToString(sum[:]) + "  " + name; !strings.Contains(sums, want) {
			t.Errorf("SHA256SUMS lacks %q:\n%s", want, sums)
		}
	}
	// SHA256SUMS, which the Registry reads, lists the provider's files only.
	if lines := strings.Split(strings.TrimSpace(sums), "\n"); len(lines) != 2 {
		t.Errorf("SHA256SUMS lists %d files, want the archive and the manifest:\n%s", len(lines), sums)
	}
	checkEmulatorArchive(t, dist)
	zipped, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zipped.Close() }()
	binary := "terraform-provider-sagemaker_v" + registryTestVersion
	if !slices.ContainsFunc(zipped.File, func(f *zip.File) bool { return f.Name == binary && f.Mode()&0o100 != 0 }) {
		t.Errorf("the archive lacks the executable %s at its top level", binary)
	}

	// A filesystem mirror in the packed layout, as terraform providers mirror writes it.
	mirror := t.TempDir()
	packed := filepath.Join(mirror, "registry.terraform.io", "tfsagemaker", "sagemaker", filepath.Base(archive))
	if err := os.MkdirAll(filepath.Dir(packed), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(packed, []byte(readFile(t, archive)), 0o644); err != nil {
		t.Fatal(err)
	}
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	writeTestFile(t, cliConfig, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [\"registry.terraform.io/tfsagemaker/sagemaker\"]\n  }\n}\n", mirror))

	emu := emulator.New(emulator.Config{})
	server := httptest.NewServer(emu)
	defer server.Close()
	emu.AddPlan(emulator.PlanSpec{Name: "registry"})
	cfg := emu.Config()
	work := t.TempDir()
	writeTestFile(t, filepath.Join(work, "main.tf"), fmt.Sprintf(`
terraform {
  required_providers {
    sagemaker = {
      source  = "registry.terraform.io/tfsagemaker/sagemaker"
      version = %q
    }
  }
}

provider "sagemaker" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints {
    sagemaker = %q
    sts       = %q
  }
}

data "sagemaker_training_plan" "registry" {
  name = "registry"
}
`, registryTestVersion, cfg.Region, cfg.AccessKeyID, cfg.SecretAccessKey, server.URL, server.URL))
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(terraform, append(args, "-no-color")...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "TF_REATTACH_PROVIDERS=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	out := run("init", "-input=false")
	if !regexp.MustCompile(`Installed (registry\.terraform\.io/)?tfsagemaker/sagemaker v` + regexp.QuoteMeta(registryTestVersion)).MatchString(out) {
		t.Errorf("terraform init did not install the release from the mirror:\n%s", out)
	}
	lock := readFile(t, filepath.Join(work, ".terraform.lock.hcl"))
	h1, err := dirhash.HashZip(archive, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lock, `"`+h1+`"`) || !strings.Contains(lock, `version     = "`+registryTestVersion+`"`) {
		t.Errorf("the lock file does not record the archive's hash %s:\n%s", h1, lock)
	}
	run("plan", "-input=false")
	if n := emu.Calls(emulator.OpDescribeTrainingPlan); n != 1 {
		t.Errorf("the installed provider made %d DescribeTrainingPlan calls, want 1", n)
	}
}

// checkEmulatorArchive checks the release's emulator archive for this platform: what a CI job
// without Go downloads. It holds the emulator, which reports the release's version.
func checkEmulatorArchive(t *testing.T, dist string) {
	t.Helper()
	archive := filepath.Join(dist, fmt.Sprintf("sagemaker-emulator_%s_%s_%s.tar.gz", registryTestVersion, runtime.GOOS, runtime.GOARCH))
	extracted := t.TempDir()
	if out, err := exec.Command("tar", "-xzf", archive, "-C", extracted).CombinedOutput(); err != nil {
		t.Fatalf("extracting %s: %v\n%s", archive, err, out)
	}
	out, err := exec.Command(filepath.Join(extracted, "sagemaker-emulator"), "-version").CombinedOutput()
	if err != nil || string(out) != "sagemaker-emulator "+registryTestVersion+"\n" {
		t.Errorf("the released emulator's -version: %q (%v)", out, err)
	}
}

// hostOnlyReleaseConfig derives from .goreleaser.yml a configuration that builds this platform
// only, as version registryTestVersion, into dist.
func hostOnlyReleaseConfig(t *testing.T, dist string) string {
	t.Helper()
	config := readFile(t, ".goreleaser.yml")
	for pattern, replacement := range map[string]string{
		`(?m)^    goos: .*$`:                "    goos: [" + runtime.GOOS + "]",
		`(?m)^    goarch: .*$`:              `    goarch: ["` + runtime.GOARCH + `"]`,
		`(?ms)^    ignore:\n(      .*?\n)+`: "",
		`(?m)^version: 2$`:                  "version: 2\ndist: " + dist + "\nsnapshot:\n  version_template: " + registryTestVersion,
	} {
		re := regexp.MustCompile(pattern)
		if !re.MatchString(config) {
			t.Fatalf(".goreleaser.yml no longer matches %s: update this test", pattern)
		}
		config = re.ReplaceAllString(config, replacement)
	}
	path := filepath.Join(t.TempDir(), "goreleaser.yml")
	writeTestFile(t, path, config)
	return path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
