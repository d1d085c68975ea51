package provider

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/fixture"
	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/sdkhttp"
)

// sageMakerClient is an SDK client for the test's emulator, signed with its credentials.
func (e *testEmulator) sageMakerClient() *sagemaker.Client {
	cfg := e.Config()
	return sagemaker.New(sagemaker.Options{
		Region:       cfg.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, ""),
		BaseEndpoint: aws.String(e.url),
		HTTPClient:   sdkhttp.Wrap(awshttp.NewBuildableClient()),
	})
}

func TestHistoryCacheSharesOneScanPerPlan(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	plans := []string{emu.AddPlan(emulator.PlanSpec{Name: "a"}), emu.AddPlan(emulator.PlanSpec{Name: "b"})}
	var offerings [][2]string
	for _, planARN := range plans {
		for range 50 {
			id, err := emu.AddOffering(planARN, 24)
			if err != nil {
				t.Fatal(err)
			}
			offerings = append(offerings, [2]string{planARN, id})
		}
	}
	// Bought through the emulator itself: an SDK client's default retryer may resend a
	// purchase after a lost answer, and then find the offering used.
	for _, o := range offerings {
		if err := emu.Buy(o[1]); err != nil {
			t.Fatal(err)
		}
	}
	client := emu.sageMakerClient()
	for _, planARN := range plans {
		if err := emu.SeedHistory(planARN, 250); err != nil {
			t.Fatal(err)
		}
	}
	emu.ResetCalls()

	// 100 reads of 2 plans with 300 entries each, 10 at a time as Terraform refreshes.
	cache := newHistoryCache(client)
	var wg sync.WaitGroup
	limit := make(chan struct{}, 10)
	errs := make(chan error, len(offerings))
	for _, o := range offerings {
		wg.Go(func() {
			limit <- struct{}{}
			defer func() { <-limit }()
			if _, err := findExtensionShared(context.Background(), cache, o[0], o[1]); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := emu.Calls(emulator.OpDescribeTrainingPlanExtensionHistory); n != 6 {
		t.Errorf("100 reads made %d history calls, want 2 plans x 3 pages = 6", n)
	}

	// A purchase invalidates its plan only.
	cache.invalidate(plans[0])
	for _, o := range offerings {
		if _, err := findExtensionShared(context.Background(), cache, o[0], o[1]); err != nil {
			t.Fatal(err)
		}
	}
	if n := emu.Calls(emulator.OpDescribeTrainingPlanExtensionHistory); n != 9 {
		t.Errorf("after invalidating one plan, history calls = %d, want 6 + 3 = 9", n)
	}
}

func TestHistoryCacheDoesNotKeepErrors(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "p"})
	emu.InjectFault(emulator.OpDescribeTrainingPlanExtensionHistory, emulator.Fault{Kind: emulator.FaultError, Status: 400, Code: "AccessDeniedException", Times: 1})
	cache := newHistoryCache(emu.sageMakerClient())
	if _, err := cache.get(context.Background(), planARN); err == nil {
		t.Fatal("want the injected error")
	}
	if _, err := findExtensionShared(context.Background(), cache, planARN, offeringID); !isNotFound(err) {
		t.Errorf("second read: err = %v, want a fresh scan that finds no extension", err)
	}
}

// TestAccRefreshScansEachPlanOnce is the refresh of a large estate through real Terraform:
// 100 extensions over 2 plans with 300 history entries each cost 6 history calls, not 300.
func TestAccRefreshScansEachPlanOnce(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	estate := fixture.Estate{Plans: 2, HistoryPerPlan: 300, Extensions: 100}
	// One run buys one extension per plan: the estate is bought outside Terraform and imported.
	config, imports, err := estate.SeedBought(emu.Emulator)
	if err != nil {
		t.Fatal(err)
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: emu.providerConfig() + config + imports},
			{
				PreConfig:    emu.ResetCalls,
				RefreshState: true,
				Check: func(*terraform.State) error {
					calls := emu.Calls(emulator.OpDescribeTrainingPlanExtensionHistory)
					if calls != estate.MinHistoryCalls() {
						return fmt.Errorf("refreshing %d extensions made %d history calls, want %d", estate.Extensions, calls, estate.MinHistoryCalls())
					}
					return nil
				},
			},
		},
	})
	emu.expectPurchases(t, 100)
	emu.expectPurchaseCalls(t, 0)
}
