package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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
	// cliConfig, when set, runs the provider as the plugin binary it names in dev_overrides,
	// one process per provider configuration, as a Registry install runs it.
	cliConfig string
}

const providerAddress = "registry.terraform.io/tfsagemaker/sagemaker"

// newTerraformCLI writes config into a fresh working directory and runs terraform init there.
// The provider is served from the test process.
func newTerraformCLI(t *testing.T, config string) *terraformCLI {
	t.Helper()
	cli := &terraformCLI{t: t, bin: terraformBinary(t), dir: t.TempDir()}
	cli.setConfig(config)
	cli.mustRun("init", "-input=false")
	return cli
}

// newPluginTerraformCLI is newTerraformCLI with the provider built as a plugin binary, which
// Terraform starts once per provider configuration: what a guarantee across provider
// configurations (aliases) must be tested with. Serving the provider from the test process
// would hand every configuration the same provider server.
func newPluginTerraformCLI(t *testing.T, config string) *terraformCLI {
	t.Helper()
	cli := &terraformCLI{t: t, bin: terraformBinary(t), dir: t.TempDir()}
	cli.cliConfig = filepath.Join(cli.dir, "cli.tfrc")
	cli.writeFile("cli.tfrc", fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
  }
  direct {}
}
`, providerAddress, providerBinaryDir(t)))
	cli.setConfig(config)
	return cli
}

func terraformBinary(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		t.Fatal("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or run make test, which installs one")
	}
	return bin
}

var providerBinary struct {
	once sync.Once
	dir  string
	err  error
}

// providerBinaryDir builds the provider's plugin binary, once per test run, into a directory
// that TestMain removes.
func providerBinaryDir(t *testing.T) string {
	t.Helper()
	providerBinary.once.Do(func() { providerBinary.dir, providerBinary.err = buildProviderBinary() })
	if providerBinary.err != nil {
		t.Fatal(providerBinary.err)
	}
	return providerBinary.dir
}

// buildProviderBinary builds the plugin binary into a new directory, which every test of the
// run shares.
func buildProviderBinary() (string, error) {
	dir, err := os.MkdirTemp("", "terraform-provider-sagemaker-test")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-sagemaker"), ".")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		return dir, fmt.Errorf("go build: %v\n%s", err, out)
	}
	return dir, nil
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
	if c.cliConfig != "" {
		return c.runCommand(nil, args...)
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(providerAddress, providerserver.NewProtocol6(newTestProvider()),
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
	return c.runCommand([]string{"TF_REATTACH_PROVIDERS=" + string(info)}, args...)
}

func (c *terraformCLI) runCommand(env []string, args ...string) (string, error) {
	cmd := exec.Command(c.bin, append(args, "-no-color")...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), append(env, "TF_IN_AUTOMATION=1")...)
	if c.cliConfig != "" {
		cmd.Env = append(cmd.Env, "TF_CLI_CONFIG_FILE="+c.cliConfig)
	}
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
