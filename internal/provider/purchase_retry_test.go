package provider

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// TestPurchaseRetryDecisions sends real purchases, with the provider's purchase retry policy,
// into real failures, and checks which are retried (AWS certainly did not act) and which are
// left to reconciliation (AWS may have bought).
func TestPurchaseRetryDecisions(t *testing.T) {
	cases := []struct {
		name          string
		fault         *emulator.Fault
		timeout       time.Duration
		closedPort    bool
		wantAttempts  int
		wantCertainly bool
	}{
		{name: "throttled: AWS refused without acting", fault: &emulator.Fault{Kind: emulator.FaultThrottle, Times: 1}, wantAttempts: 2, wantCertainly: true},
		{name: "access denied: AWS validated and refused", fault: &emulator.Fault{Kind: emulator.FaultError, Status: 400, Code: "AccessDeniedException", Message: "no", Times: 1}, wantAttempts: 1, wantCertainly: true},
		{name: "500: AWS may have bought", fault: &emulator.Fault{Kind: emulator.FaultCommitThenFail, Times: 1}, wantAttempts: 1},
		{name: "connection reset: AWS may have bought", fault: &emulator.Fault{Kind: emulator.FaultReset, Times: 1}, wantAttempts: 1},
		{name: "deadline: the request was sent", fault: &emulator.Fault{Kind: emulator.FaultLatency, Latency: time.Second, Times: 1}, timeout: 200 * time.Millisecond, wantAttempts: 1},
		{name: "connection refused: nothing was sent", closedPort: true, wantCertainly: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			emu := startEmulator(t, emulator.Config{})
			_, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "retries"})
			if tc.fault != nil {
				emu.InjectFault(emulator.OpExtendTrainingPlan, *tc.fault)
			}
			client := emu.sageMakerClient()
			if tc.closedPort {
				listener, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				address := listener.Addr().String()
				_ = listener.Close()
				client = sagemaker.New(client.Options(), func(o *sagemaker.Options) { o.BaseEndpoint = aws.String("http://" + address) })
			}
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			_, err := client.ExtendTrainingPlan(ctx, &sagemaker.ExtendTrainingPlanInput{TrainingPlanExtensionOfferingId: aws.String(offeringID)},
				func(o *sagemaker.Options) { o.RetryMaxAttempts = 3 }, withPurchaseRetryPolicy)
			if tc.closedPort {
				if err == nil || !requestNeverSent(err) {
					t.Errorf("a refused connection gave %v, want an error the policy sees as never sent", err)
				}
			} else if got := emu.Calls(emulator.OpExtendTrainingPlan); got != tc.wantAttempts {
				t.Errorf("ExtendTrainingPlan reached the emulator %d times, want %d (err: %v)", got, tc.wantAttempts, err)
			}
			if err != nil && errors.Is(err, context.Canceled) {
				t.Fatalf("unexpected cancellation: %v", err)
			}
			if tc.wantAttempts == 2 {
				if err != nil {
					t.Errorf("the retried purchase failed: %v", err)
				}
				return
			}
			if got := purchaseCertainlyNotMade(err); got != tc.wantCertainly {
				t.Errorf("purchaseCertainlyNotMade(%v) = %v, want %v", err, got, tc.wantCertainly)
			}
		})
	}
}
