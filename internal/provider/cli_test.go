package provider

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// terraformCLI runs the real Terraform CLI in one working directory against the provider
// served in-process, for what terraform-plugin-testing's steps cannot express: apply -replace,
// and something happening between plan -out and the apply of the saved plan.
type terraformCLI struct {
	t   *testing.T
	bin string
	dir string
}

const providerAddress = "registry.terraform.io/tfsagemaker/sagemaker"

// newTerraformCLI writes config into a fresh working directory and runs terraform init there.
func newTerraformCLI(t *testing.T, config string) *terraformCLI {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		t.Fatal("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or run make test, which installs one")
	}
	cli := &terraformCLI{t: t, bin: bin, dir: t.TempDir()}
	cli.setConfig(config)
	cli.mustRun("init", "-input=false")
	return cli
}

func (c *terraformCLI) setConfig(config string) {
	c.t.Helper()
	c.writeFile("main.tf", config)
}

// writeFile writes a file into the working directory, such as a .tfquery.hcl file.
func (c *terraformCLI) writeFile(name, content string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// version is the CLI's version, for commands that only newer versions have.
func (c *terraformCLI) version() *version.Version {
	c.t.Helper()
	out, err := exec.Command(c.bin, "version", "-json").Output()
	if err != nil {
		c.t.Fatalf("%s version: %v", c.bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		c.t.Fatal(err)
	}
	return version.Must(version.NewVersion(v.Version))
}

// run runs one CLI command with a fresh provider server, as every Terraform run starts the
// provider anew, and returns its combined output.
func (c *terraformCLI) run(args ...string) (string, error) {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(providerAddress, providerserver.NewProtocol6(New("test")()),
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(c.t),
			tf6server.WithoutLogStderrOverride())
	}()
	var config *plugin.ReattachConfig
	select {
	case config = <-reattach:
	case err := <-served:
		cancel()
		c.t.Fatalf("serving the provider: %v", err)
	}
	defer func() {
		cancel()
		<-closed
	}()
	info, err := json.Marshal(tfexec.ReattachInfo{providerAddress: {
		Protocol: string(config.Protocol), ProtocolVersion: config.ProtocolVersion, Pid: config.Pid, Test: config.Test,
		Addr: tfexec.ReattachConfigAddr{Network: config.Addr.Network(), String: config.Addr.String()},
	}})
	if err != nil {
		c.t.Fatal(err)
	}
	cmd := exec.Command(c.bin, append(args, "-no-color")...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(info), "TF_IN_AUTOMATION=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// mustRun runs a command that must succeed.
func (c *terraformCLI) mustRun(args ...string) string {
	c.t.Helper()
	out, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// offeringInState reads the offering ID of the extension resource named "test" from the
// current state.
func (c *terraformCLI) offeringInState() string {
	c.t.Helper()
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(c.mustRun("show", "-json")), &state); err != nil {
		c.t.Fatal(err)
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == extensionAddr {
			value, _ := r.Values["training_plan_extension_offering_id"].(string)
			return value
		}
	}
	c.t.Fatalf("%s is not in state", extensionAddr)
	return ""
}
