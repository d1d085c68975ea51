package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// listConfig is a query file's list block for the extensions of one plan.
func listConfig(planARN string) string {
	return fmt.Sprintf(`
list "sagemaker_training_plan_extension" "all" {
  provider = sagemaker

  config {
    training_plan_arn = %q
  }
}
`, planARN)
}

// seedBoughtExtensions buys n extensions of a plan outside Terraform.
func (e *testEmulator) seedBoughtExtensions(t *testing.T, planARN string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		id, err := e.AddOffering(planARN, 24)
		if err == nil {
			err = e.Buy(id)
		}
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

func TestAccTrainingPlanExtensionList(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "listed"})
	ids := emu.seedBoughtExtensions(t, planARN, 3)
	emu.ResetCalls()

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			// terraform query came with Terraform 1.14.
			tfversion.SkipBelow(tfversion.Version1_14_0),
		},
		Steps: []resource.TestStep{{
			// The query runs next to this configuration, which names the provider.
			Config: emu.providerConfig(),
		}, {
			Query:  true,
			Config: listConfig(planARN),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("sagemaker_training_plan_extension.all", 3),
				querycheck.ExpectIdentity("sagemaker_training_plan_extension.all", map[string]knownvalue.Check{
					"training_plan_arn":                   knownvalue.StringExact(planARN),
					"training_plan_extension_offering_id": knownvalue.StringExact(ids[1]),
				}),
				querycheck.ExpectResourceDisplayName("sagemaker_training_plan_extension.all",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
						"training_plan_arn":                   knownvalue.StringExact(planARN),
						"training_plan_extension_offering_id": knownvalue.StringExact(ids[0]),
					}),
					knownvalue.StringRegexp(regexp.MustCompile(`^`+ids[0]+`: Scheduled, 24 hours from \S+ to \S+$`))),
			},
		}},
	})
	emu.expectPurchaseCalls(t, 0)
}

// TestAccTrainingPlanExtensionList_generatedConfigImportsWithoutBuying follows the docs: query a
// plan's extensions, generate configuration, apply it.
func TestAccTrainingPlanExtensionList_generatedConfigImportsWithoutBuying(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "adopted"})
	ids := emu.seedBoughtExtensions(t, planARN, 3)
	cli := newTerraformCLI(t, emu.providerConfig())
	if cli.version().LessThan(version.Must(version.NewVersion("1.14.0"))) {
		t.Skipf("terraform query needs Terraform 1.14 or later; %s is %s", cli.bin, cli.version())
	}
	cli.writeFile("extensions.tfquery.hcl", listConfig(planARN))
	emu.ResetCalls()

	cli.mustRun("query", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(cli.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if !strings.Contains(string(generated), id) {
			t.Errorf("the generated configuration lacks extension %s:\n%s", id, generated)
		}
	}
	out := cli.mustRun("apply", "-auto-approve", "-input=false")
	if !strings.Contains(out, "3 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("the apply of the generated configuration did not import the 3 extensions:\n%s", out)
	}
	if out := cli.mustRun("plan", "-input=false", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
		t.Errorf("the plan after the import is not empty:\n%s", out)
	}
	emu.expectPurchaseCalls(t, 0)
	if n := emu.Calls(emulator.OpSearchTrainingPlanOfferings); n != 0 {
		t.Errorf("offerings were searched %d times, want 0", n)
	}
}
