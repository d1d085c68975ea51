package provider

// Import and forget workflows of Terraform 1.5+ and OpenTofu 1.12+: import blocks by ID and by
// identity, generated configuration, removed blocks and lifecycle { destroy = false }. `make
// test` runs them on every CLI; each skips where its CLI lacks the feature.

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

func TestAccTrainingPlanExtension_importBlockByID(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "import-block"})
	config := emu.providerConfig() + extensionConfig(planARN, offeringID, "")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config:          config,
				ResourceName:    extensionAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
	emu.expectPurchases(t, 1)
}

func TestAccTrainingPlanExtension_importOfAMissingExtensionFails(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, neverBought := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "import-missing"})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        emu.providerConfig() + extensionConfig(planARN, neverBought, ""),
			ResourceName:  extensionAddr,
			ImportState:   true,
			ImportStateId: planARN + "," + neverBought,
			ExpectError:   errorMatching("Cannot import non-existent remote object"),
		}},
	})
	emu.expectPurchases(t, 0)
}

func TestAccTrainingPlanExtension_importFromAnotherRegionIsRefused(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "elsewhere"})
	otherRegionARN := strings.Replace(planARN, "us-west-2", "eu-west-1", 1)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        emu.providerConfig() + extensionConfig(otherRegionARN, offeringID, ""),
			ResourceName:  extensionAddr,
			ImportState:   true,
			ImportStateId: otherRegionARN + "," + offeringID,
			ExpectError:   errorMatching("importing SageMaker training plan extension", `is in region "eu-west-1", but the provider is configured for region "us-west-2"`),
		}},
	})
	if n := emu.SageMakerCalls(); n != 0 {
		t.Errorf("the refused import made %d SageMaker calls, want 0", n)
	}
}

func TestAccTrainingPlanExtension_importBlockByIdentity(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "import-identity"})
	config := emu.providerConfig() + extensionConfig(planARN, offeringID, "")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			// Identities came with Terraform 1.12 and OpenTofu 1.12.
			tfversion.SkipBelow(tfversion.Version1_12_0),
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(extensionAddr, map[string]knownvalue.Check{
						"training_plan_arn":                   knownvalue.StringExact(planARN),
						"training_plan_extension_offering_id": knownvalue.StringExact(offeringID),
					}),
				},
			},
			{
				Config:          config,
				ResourceName:    extensionAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
	emu.expectPurchases(t, 1)
}

func TestAccTrainingPlanExtension_importGeneratesConfig(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "generated"})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: emu.providerConfig() + extensionConfig(planARN, offeringID, "")},
			{
				// plan -generate-config-out writes the resource block; the import must then be a no-op.
				Config:          emu.providerConfig(),
				ResourceName:    extensionAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig:  true,
			},
		},
	})
	emu.expectPurchases(t, 1)
}

func TestAccTrainingPlanExtension_removedBlockForgets(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "removed"})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			// removed blocks came with Terraform 1.7; OpenTofu 1.12 has them too.
			tfversion.SkipBelow(tfversion.Version1_7_0),
		},
		Steps: []resource.TestStep{
			{Config: emu.providerConfig() + extensionConfig(planARN, offeringID, "")},
			{
				Config: emu.providerConfig() + `
removed {
  from = sagemaker_training_plan_extension.test

  lifecycle {
    destroy = false
  }
}
`,
				Check: func(s *terraform.State) error {
					if len(s.RootModule().Resources) != 0 {
						return fmt.Errorf("state still holds %d resources", len(s.RootModule().Resources))
					}
					if !emu.HasExtension(planARN, offeringID) {
						return fmt.Errorf("the extension is gone from the emulator")
					}
					return emu.checkBoughtOnce(s)
				},
			},
		},
	})
	emu.expectPurchaseCalls(t, 1)
}

// TestAccTrainingPlanExtension_lifecycleDestroyFalseForgets follows the docs: on Terraform 1.16
// and later, lifecycle { destroy = false } makes terraform destroy a plain forget.
func TestAccTrainingPlanExtension_lifecycleDestroyFalseForgets(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "kept"})
	cli := newTerraformCLI(t, emu.providerConfig())
	cli.setConfig(emu.providerConfig() + durationConfig(planARN, 24, `lifecycle {
    destroy = false
  }`))
	// Terraform has it from 1.16; OpenTofu, whose versions count differently, has it too.
	if out, err := cli.run("validate"); err != nil {
		if !strings.Contains(out, "Unsupported argument") {
			t.Fatalf("terraform validate: %v\n%s", err, out)
		}
		t.Skipf("%s %s does not know lifecycle { destroy = false }", cli.bin, cli.version())
	}
	cli.mustRun("apply", "-auto-approve", "-input=false")
	offeringID := cli.offeringInState()

	// OpenTofu forgets too, then exits with an error that says so (-suppress-forget-errors).
	out, _ := cli.run("destroy", "-auto-approve", "-input=false")
	forgot := `(?s)(will no longer be managed by Terraform, but will not be destroyed|will be removed from the OpenTofu state but will not be destroyed)` +
		`.*0 to destroy.*(Resources: 0 destroyed|left behind forgotten instances)`
	if !regexp.MustCompile(forgot).MatchString(out) {
		t.Errorf("terraform destroy did not forget the extension:\n%s", out)
	}
	if out := cli.mustRun("state", "list"); strings.Contains(out, extensionAddr) {
		t.Errorf("the extension is still in state after the destroy:\n%s", out)
	}
	if !emu.HasExtension(planARN, offeringID) {
		t.Error("the extension is gone from the emulator")
	}
	emu.expectPurchases(t, 1)
}
