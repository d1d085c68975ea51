package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// control serves an emulator and its control API, as the command does.
func control(t *testing.T, cfg emulator.Config) (*emulator.Emulator, string) {
	t.Helper()
	emu := emulator.New(cfg)
	mux := http.NewServeMux()
	mux.Handle(emulator.ControlPath, emu.ControlHandler())
	mux.Handle("/", emu)
	server := httptest.NewServer(mux)
	t.Cleanup(server.Close)
	return emu, server.URL
}

// call sends a control request and decodes its JSON answer, if any, into out.
func call(t *testing.T, method, url, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: %v", method, url, err)
		}
	}
	return resp.StatusCode
}

func TestEachAccessKeyHasStateOfItsOwn(t *testing.T) {
	emu, url := control(t, emulator.Config{})
	emu.Seed(emulator.SeededPlan{Spec: emulator.PlanSpec{Name: "shared"}})
	planARN := "arn:aws:sagemaker:us-west-2:123456789012:training-plan/shared"
	keyed := func(accessKey string) *sagemaker.Client {
		return sagemaker.New(sagemaker.Options{Region: "us-west-2", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
			Credentials: credentials.NewStaticCredentialsProvider(accessKey, emulator.DefaultSecretAccessKey, "")})
	}
	first, second := keyed("AKIAEMULATORSCENARI1"), keyed("AKIAEMULATORSCENARI2")
	offerings, err := first.SearchTrainingPlanOfferings(context.Background(), &sagemaker.SearchTrainingPlanOfferingsInput{TrainingPlanArn: aws.String(planARN), DurationHours: aws.Int64(24)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.ExtendTrainingPlan(context.Background(), &sagemaker.ExtendTrainingPlanInput{TrainingPlanExtensionOfferingId: offerings.TrainingPlanExtensionOfferings[0].TrainingPlanExtensionOfferingId}); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[*sagemaker.Client]int{first: 1, second: 0} {
		history, err := key.DescribeTrainingPlanExtensionHistory(context.Background(), &sagemaker.DescribeTrainingPlanExtensionHistoryInput{TrainingPlanArn: aws.String(planARN)})
		if err != nil || len(history.TrainingPlanExtensions) != want {
			t.Errorf("a key's history: %v, %d extensions, want %d", err, len(history.TrainingPlanExtensions), want)
		}
	}
	if emu.Purchases() != 1 || emu.WithAccessKey("AKIAEMULATORSCENARI1").PurchasesOf(planARN) != 1 || emu.PurchasesOf(planARN) != 0 {
		t.Errorf("purchases: %d in all, %d by the first key, %d by the default one", emu.Purchases(),
			emu.WithAccessKey("AKIAEMULATORSCENARI1").PurchasesOf(planARN), emu.PurchasesOf(planARN))
	}
	if _, err := keyed("not-a-key").DescribeTrainingPlan(context.Background(), &sagemaker.DescribeTrainingPlanInput{TrainingPlanName: aws.String("shared")}); apiErrorCode(err) != "UnrecognizedClientException" {
		t.Errorf("a key that is no access key: %v, want UnrecognizedClientException", err)
	}
}

func TestControlAPI(t *testing.T) {
	emu, url := control(t, emulator.Config{})
	base := url + emulator.ControlPath
	if code := call(t, "POST", base+"plans", `{"name": "steered", "instance_count": 1, "hourly_fee": 10}`, nil); code != http.StatusCreated {
		t.Fatalf("adding a plan: %d", code)
	}
	if code := call(t, "POST", base+"plans", `{"name": "not a name"}`, nil); code != http.StatusBadRequest {
		t.Errorf("adding a plan with a bad name: %d, want 400", code)
	}
	if code := call(t, "POST", base+"plans", `{"name": "steered"}`, nil); code != http.StatusConflict {
		t.Errorf("adding a plan whose name is taken: %d, want 409", code)
	}
	var bought struct {
		OfferingID string `json:"offering_id"`
	}
	if code := call(t, "POST", base+"plans/steered/purchases", `{"hours": 20}`, &bought); code != http.StatusCreated || !strings.HasPrefix(bought.OfferingID, "tpeo-") {
		t.Fatalf("buying outside Terraform: %d, %+v", code, bought)
	}
	planARN := "arn:aws:sagemaker:us-west-2:123456789012:training-plan/steered"
	offering, err := emu.AddOffering(planARN, 24)
	if err != nil {
		t.Fatal(err)
	}
	if code := call(t, "POST", base+"plans/steered/reprice", `{"hourly_fee": 20}`, nil); code != http.StatusNoContent {
		t.Errorf("repricing: %d", code)
	}
	if err := emu.Buy(offering); err == nil {
		t.Error("a quote from before the reprice was still on sale")
	}
	if code := call(t, "PATCH", base+"plans/steered", `{"status": "Expired"}`, nil); code != http.StatusNoContent {
		t.Errorf("changing the status: %d", code)
	}
	if code := call(t, "POST", base+"faults", `{"operation": "ExtendTrainingPlan", "kind": "reset", "times": 1, "plan": "steered"}`, nil); code != http.StatusNoContent {
		t.Errorf("injecting a fault: %d", code)
	}
	if code := call(t, "POST", base+"faults", `{"operation": "Buy", "kind": "reset"}`, nil); code != http.StatusBadRequest {
		t.Errorf("injecting a fault into no operation: %d, want 400", code)
	}
	var listed struct{ Plans []emulator.PlanView }
	call(t, "GET", base+"plans", "", &listed)
	if len(listed.Plans) != 1 || listed.Plans[0].Status != "Expired" || listed.Plans[0].HourlyFee != 20 || listed.Plans[0].Purchases != 1 ||
		len(listed.Plans[0].Extensions) != 1 || listed.Plans[0].Extensions[0].DurationHours != 24 {
		t.Errorf("the plans: %+v", listed.Plans)
	}
	if code := call(t, "GET", base+"plans?access_key=AKIAEMULATORSCENARI1", "", &listed); code != http.StatusOK || len(listed.Plans) != 0 {
		t.Errorf("another key's plans: %d, %+v, want none", code, listed.Plans)
	}
	if code := call(t, "POST", base+"plans/missing/withdraw", "", nil); code != http.StatusNotFound {
		t.Errorf("a missing plan: %d, want 404", code)
	}

	if code := call(t, "POST", base+"reset", "", nil); code != http.StatusNoContent || emu.Purchases() != 0 || len(emu.Plans()) != 0 {
		t.Errorf("reset: %d, %d purchases, %d plans left", code, emu.Purchases(), len(emu.Plans()))
	}
}
