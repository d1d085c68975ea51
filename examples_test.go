package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	goversion "github.com/hashicorp/go-version"
)

// TestExamples checks that every example the docs show is formatted and valid for the
// provider as built from this tree, with the Terraform CLI the acceptance tests use.
func TestExamples(t *testing.T) {
	terraform := terraformCLI(t)
	knowsIdentities := cliVersion(t, terraform).GreaterThanOrEqual(goversion.Must(goversion.NewVersion("1.12.0")))
	pluginDir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(pluginDir, "terraform-provider-sagemaker"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	config := `provider_installation {
  dev_overrides {
    "tfsagemaker/sagemaker" = "` + pluginDir + `"
  }
  direct {}
}
`
	if err := os.WriteFile(cliConfig, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}

	var dirs []string
	err := filepath.WalkDir("examples", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tf") && !slices.Contains(dirs, filepath.Dir(path)) {
			dirs = append(dirs, filepath.Dir(path))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 6 {
		t.Fatalf("found examples in %d directories, want one per resource, data source and provider", len(dirs))
	}
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			run := func(workDir string, args ...string) {
				t.Helper()
				cmd := exec.Command(terraform, args...)
				cmd.Dir = workDir
				cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
				}
			}
			run(dir, "fmt", "-check", "-diff", "-no-color")

			// Validate a copy that names this provider's source, as a user's root module does.
			work := t.TempDir()
			files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
			declared := false
			for _, file := range files {
				if filepath.Base(file) == "import-by-identity.tf" && !knowsIdentities {
					continue // import blocks by identity came with Terraform 1.12
				}
				content, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				declared = declared || strings.Contains(string(content), "required_providers")
				if err := os.WriteFile(filepath.Join(work, filepath.Base(file)), content, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if !declared {
				providers := "terraform {\n  required_providers {\n    sagemaker = {\n      source = \"tfsagemaker/sagemaker\"\n    }\n  }\n}\n"
				if err := os.WriteFile(filepath.Join(work, "providers.tf"), []byte(providers), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			run(work, "validate", "-no-color")
		})
	}
}

// terraformCLI is the Terraform or OpenTofu CLI the tests run, as the acceptance tests choose it.
func terraformCLI(t *testing.T) string {
	t.Helper()
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		t.Fatal("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or run make test, which installs one")
	}
	return terraform
}

// cliVersion is the version a Terraform or OpenTofu CLI reports.
func cliVersion(t *testing.T, cli string) *goversion.Version {
	t.Helper()
	cmd := exec.Command(cli, "version", "-json")
	// A CLI configuration variable naming a missing file makes OpenTofu print a warning first.
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+os.DevNull)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version: %v", cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v\n%s", cli, err, out)
	}
	return goversion.Must(goversion.NewVersion(v.Version))
}
