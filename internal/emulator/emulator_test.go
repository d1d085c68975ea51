package emulator_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/sdkhttp"
)

// startEmulator serves an emulator over real HTTP and returns an SDK config signed with secret.
func startEmulator(t *testing.T, cfg emulator.Config, secret string) (*emulator.Emulator, aws.Config, string) {
	t.Helper()
	emu := emulator.New(cfg)
	server := httptest.NewServer(emu)
	t.Cleanup(server.Close)
	if secret == "" {
		secret = emu.Config().SecretAccessKey
	}
	awsCfg := aws.Config{
		Region:           emu.Config().Region,
		Credentials:      credentials.NewStaticCredentialsProvider(emu.Config().AccessKeyID, secret, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       sdkhttp.Wrap(awshttp.NewBuildableClient()),
	}
	return emu, awsCfg, server.URL
}

func sageMakerClient(awsCfg aws.Config, url string) *sagemaker.Client {
	return sagemaker.NewFromConfig(awsCfg, func(o *sagemaker.Options) { o.BaseEndpoint = aws.String(url) })
}

func apiErrorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

func TestPurchaseLifecycleWithTheSDK(t *testing.T) {
	ctx := context.Background()
	emu, awsCfg, url := startEmulator(t, emulator.Config{PendingDelay: 200 * time.Millisecond}, "")
	client := sageMakerClient(awsCfg, url)
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "llm-pretraining"})

	plan, err := client.DescribeTrainingPlan(ctx, &sagemaker.DescribeTrainingPlanInput{TrainingPlanName: aws.String("llm-pretraining")})
	if err != nil {
		t.Fatalf("DescribeTrainingPlan: %v", err)
	}
	if aws.ToString(plan.TrainingPlanArn) != planARN || plan.Status != types.TrainingPlanStatusActive {
		t.Fatalf("plan = %s %s, want %s Active", aws.ToString(plan.TrainingPlanArn), plan.Status, planARN)
	}
	endBefore := aws.ToTime(plan.EndTime)

	search, err := client.SearchTrainingPlanOfferings(ctx, &sagemaker.SearchTrainingPlanOfferingsInput{
		TrainingPlanArn: aws.String(planARN),
		DurationHours:   aws.Int64(30),
	})
	if err != nil {
		t.Fatalf("SearchTrainingPlanOfferings: %v", err)
	}
	if len(search.TrainingPlanExtensionOfferings) != 1 {
		t.Fatalf("got %d offerings, want 1", len(search.TrainingPlanExtensionOfferings))
	}
	offer := search.TrainingPlanExtensionOfferings[0]
	if aws.ToInt32(offer.DurationHours) != 48 {
		t.Errorf("30 hours rounds up to %d hours, want 48", aws.ToInt32(offer.DurationHours))
	}
	if !aws.ToTime(offer.StartDate).Equal(endBefore) {
		t.Errorf("offering starts %v, want the plan's end %v", aws.ToTime(offer.StartDate), endBefore)
	}

	bought, err := client.ExtendTrainingPlan(ctx, &sagemaker.ExtendTrainingPlanInput{TrainingPlanExtensionOfferingId: offer.TrainingPlanExtensionOfferingId})
	if err != nil {
		t.Fatalf("ExtendTrainingPlan: %v", err)
	}
	last := bought.TrainingPlanExtensions[len(bought.TrainingPlanExtensions)-1]
	if aws.ToString(last.Status) != "Pending" || aws.ToString(last.PaymentStatus) != "Pending" {
		t.Errorf("fresh purchase is %s/%s, want Pending/Pending", aws.ToString(last.Status), aws.ToString(last.PaymentStatus))
	}
	if aws.ToString(last.UpfrontFee) != aws.ToString(offer.UpfrontFee) || aws.ToString(last.UpfrontFee) == "" {
		t.Errorf("fee %q, want the offering's %q", aws.ToString(last.UpfrontFee), aws.ToString(offer.UpfrontFee))
	}

	_, err = client.ExtendTrainingPlan(ctx, &sagemaker.ExtendTrainingPlanInput{TrainingPlanExtensionOfferingId: offer.TrainingPlanExtensionOfferingId})
	var notFound *types.ResourceNotFound
	if !errors.As(err, &notFound) {
		t.Errorf("buying a used offering: err = %v, want ResourceNotFound", err)
	}
	if emu.Purchases() != 1 {
		t.Errorf("purchases = %d, want 1", emu.Purchases())
	}

	time.Sleep(300 * time.Millisecond)
	history, err := client.DescribeTrainingPlanExtensionHistory(ctx, &sagemaker.DescribeTrainingPlanExtensionHistoryInput{TrainingPlanArn: aws.String(planARN)})
	if err != nil {
		t.Fatalf("DescribeTrainingPlanExtensionHistory: %v", err)
	}
	settled := history.TrainingPlanExtensions[0]
	if aws.ToString(settled.Status) != "Scheduled" || aws.ToString(settled.PaymentStatus) != "Completed" {
		t.Errorf("settled extension is %s/%s, want Scheduled/Completed", aws.ToString(settled.Status), aws.ToString(settled.PaymentStatus))
	}

	plan, err = client.DescribeTrainingPlan(ctx, &sagemaker.DescribeTrainingPlanInput{TrainingPlanName: aws.String("llm-pretraining")})
	if err != nil {
		t.Fatalf("DescribeTrainingPlan: %v", err)
	}
	if got, want := aws.ToTime(plan.EndTime), endBefore.Add(48*time.Hour); !got.Equal(want) {
		t.Errorf("plan end after extension = %v, want %v", got, want)
	}
}

func TestHistoryPaginatesWithTheSDKPaginator(t *testing.T) {
	emu, awsCfg, url := startEmulator(t, emulator.Config{}, "")
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "long-lived"})
	if err := emu.SeedHistory(planARN, 250); err != nil {
		t.Fatal(err)
	}
	pages := sagemaker.NewDescribeTrainingPlanExtensionHistoryPaginator(sageMakerClient(awsCfg, url),
		&sagemaker.DescribeTrainingPlanExtensionHistoryInput{TrainingPlanArn: aws.String(planARN), MaxResults: aws.Int32(100)})
	seen := map[string]bool{}
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page.TrainingPlanExtensions {
			seen[aws.ToString(x.TrainingPlanExtensionOfferingId)] = true
		}
	}
	if len(seen) != 250 {
		t.Errorf("paginated %d distinct extensions, want 250", len(seen))
	}
	if n := emu.Calls(emulator.OpDescribeTrainingPlanExtensionHistory); n != 3 {
		t.Errorf("history calls = %d, want 3", n)
	}
}

func TestInputValidationErrors(t *testing.T) {
	ctx := context.Background()
	emu, awsCfg, url := startEmulator(t, emulator.Config{}, "")
	client := sageMakerClient(awsCfg, url)
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "p1"})

	cases := map[string]error{}
	_, cases["MaxResults 101"] = client.DescribeTrainingPlanExtensionHistory(ctx, &sagemaker.DescribeTrainingPlanExtensionHistoryInput{TrainingPlanArn: aws.String(planARN), MaxResults: aws.Int32(101)})
	_, cases["malformed ARN"] = client.DescribeTrainingPlanExtensionHistory(ctx, &sagemaker.DescribeTrainingPlanExtensionHistoryInput{TrainingPlanArn: aws.String("arn:aws:s3:::bucket")})
	_, cases["bad token"] = client.DescribeTrainingPlanExtensionHistory(ctx, &sagemaker.DescribeTrainingPlanExtensionHistoryInput{TrainingPlanArn: aws.String(planARN), NextToken: aws.String("!!")})
	_, cases["duration 5000"] = client.SearchTrainingPlanOfferings(ctx, &sagemaker.SearchTrainingPlanOfferingsInput{TrainingPlanArn: aws.String(planARN), DurationHours: aws.Int64(5000)})
	for name, err := range cases {
		if code := apiErrorCode(err); code != "ValidationException" {
			t.Errorf("%s: error code %q (%v), want ValidationException", name, code, err)
		}
	}

	_, err := client.DescribeTrainingPlanExtensionHistory(ctx, &sagemaker.DescribeTrainingPlanExtensionHistoryInput{TrainingPlanArn: aws.String(planARN + "-gone")})
	var notFound *types.ResourceNotFound
	if !errors.As(err, &notFound) {
		t.Errorf("unknown plan: err = %v, want ResourceNotFound", err)
	}
}

func TestRejectsWrongSignature(t *testing.T) {
	emu, awsCfg, url := startEmulator(t, emulator.Config{}, "not-the-secret-key")
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "p1"})
	_, err := sageMakerClient(awsCfg, url).DescribeTrainingPlanExtensionHistory(context.Background(),
		&sagemaker.DescribeTrainingPlanExtensionHistoryInput{TrainingPlanArn: aws.String(planARN)})
	if code := apiErrorCode(err); code != "InvalidSignatureException" {
		t.Errorf("error code %q (%v), want InvalidSignatureException", code, err)
	}
	_, err = sts.NewFromConfig(awsCfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(url) }).
		GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if code := apiErrorCode(err); code != "SignatureDoesNotMatch" {
		t.Errorf("STS error code %q (%v), want SignatureDoesNotMatch", code, err)
	}
	if n := emu.SageMakerCalls(); n != 0 {
		t.Errorf("unsigned calls reached %d operations, want 0", n)
	}
}

func TestGetCallerIdentity(t *testing.T) {
	_, awsCfg, url := startEmulator(t, emulator.Config{AccountID: "210987654321"}, "")
	out, err := sts.NewFromConfig(awsCfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(url) }).
		GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Account) != "210987654321" {
		t.Errorf("account = %q, want 210987654321", aws.ToString(out.Account))
	}
}

func TestFaults(t *testing.T) {
	cases := []struct {
		name          string
		fault         emulator.Fault
		wantCode      string
		wantPurchases int
	}{
		{"error", emulator.Fault{Kind: emulator.FaultError, Status: 400, Code: "AccessDeniedException", Message: "no"}, "AccessDeniedException", 0},
		{"throttle", emulator.Fault{Kind: emulator.FaultThrottle}, "ThrottlingException", 0},
		{"commit then fail", emulator.Fault{Kind: emulator.FaultCommitThenFail}, "InternalFailure", 1},
		{"commit then reset", emulator.Fault{Kind: emulator.FaultCommitThenReset}, "", 1},
		{"reset", emulator.Fault{Kind: emulator.FaultReset}, "", 0},
		{"latency", emulator.Fault{Kind: emulator.FaultLatency, Latency: 50 * time.Millisecond}, "", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			emu, awsCfg, url := startEmulator(t, emulator.Config{}, "")
			planARN := emu.AddPlan(emulator.PlanSpec{Name: "p1"})
			id, err := emu.AddOffering(planARN, 24)
			if err != nil {
				t.Fatal(err)
			}
			emu.InjectFault(emulator.OpExtendTrainingPlan, tc.fault)
			_, err = sageMakerClient(awsCfg, url).ExtendTrainingPlan(context.Background(), &sagemaker.ExtendTrainingPlanInput{TrainingPlanExtensionOfferingId: aws.String(id)})
			if tc.fault.Kind == emulator.FaultLatency {
				if err != nil {
					t.Fatalf("latency fault: %v", err)
				}
			} else if err == nil {
				t.Fatal("want an error")
			}
			if code := apiErrorCode(err); code != tc.wantCode {
				t.Errorf("error code %q (%v), want %q", code, err, tc.wantCode)
			}
			if got := emu.Purchases(); got != tc.wantPurchases {
				t.Errorf("purchases = %d, want %d", got, tc.wantPurchases)
			}
			if got := emu.HasExtension(planARN, id); got != (tc.wantPurchases == 1) {
				t.Errorf("history has the extension: %v, want %v", got, tc.wantPurchases == 1)
			}
		})
	}
}

func TestFaultAppliesOnlyTimes(t *testing.T) {
	emu, awsCfg, url := startEmulator(t, emulator.Config{}, "")
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "p1"})
	emu.InjectFault(emulator.OpDescribeTrainingPlanExtensionHistory, emulator.Fault{Kind: emulator.FaultThrottle, Times: 2})
	client := sageMakerClient(awsCfg, url)
	in := &sagemaker.DescribeTrainingPlanExtensionHistoryInput{TrainingPlanArn: aws.String(planARN)}
	for i := range 3 {
		_, err := client.DescribeTrainingPlanExtensionHistory(context.Background(), in)
		if (i < 2) != (apiErrorCode(err) == "ThrottlingException") {
			t.Errorf("call %d: err = %v", i+1, err)
		}
	}
}

func TestOfferingIDsRepeatOnlyWhenConfigured(t *testing.T) {
	for _, repeat := range []bool{false, true} {
		emu, awsCfg, url := startEmulator(t, emulator.Config{RepeatOfferingIDs: repeat}, "")
		client := sageMakerClient(awsCfg, url)
		planARN := emu.AddPlan(emulator.PlanSpec{Name: "quotes"})
		search := func() types.TrainingPlanExtensionOffering {
			t.Helper()
			out, err := client.SearchTrainingPlanOfferings(context.Background(), &sagemaker.SearchTrainingPlanOfferingsInput{
				TrainingPlanArn: aws.String(planARN), DurationHours: aws.Int64(168),
			})
			if err != nil || len(out.TrainingPlanExtensionOfferings) != 1 {
				t.Fatalf("search: %v, %d offerings", err, len(out.TrainingPlanExtensionOfferings))
			}
			return out.TrainingPlanExtensionOfferings[0]
		}
		first, second := search(), search()
		sameID := aws.ToString(first.TrainingPlanExtensionOfferingId) == aws.ToString(second.TrainingPlanExtensionOfferingId)
		if sameID != repeat {
			t.Errorf("RepeatOfferingIDs %v: two searches returned the same ID: %v", repeat, sameID)
		}
		if !aws.ToTime(first.StartDate).Equal(aws.ToTime(second.StartDate)) || aws.ToString(first.UpfrontFee) != aws.ToString(second.UpfrontFee) {
			t.Errorf("two searches for the same capacity quoted %v/%s and %v/%s", first.StartDate, aws.ToString(first.UpfrontFee), second.StartDate, aws.ToString(second.UpfrontFee))
		}
		// Once bought, the quote is gone: the next search quotes the capacity after it.
		if err := emu.Buy(aws.ToString(second.TrainingPlanExtensionOfferingId)); err != nil {
			t.Fatal(err)
		}
		third := search()
		if aws.ToString(third.TrainingPlanExtensionOfferingId) == aws.ToString(second.TrainingPlanExtensionOfferingId) ||
			!aws.ToTime(third.StartDate).Equal(aws.ToTime(second.EndDate)) {
			t.Errorf("RepeatOfferingIDs %v: after a purchase the search returned %s starting %v, want a new quote starting %v",
				repeat, aws.ToString(third.TrainingPlanExtensionOfferingId), third.StartDate, second.EndDate)
		}
		if err := emu.Buy(aws.ToString(second.TrainingPlanExtensionOfferingId)); err == nil {
			t.Error("a bought offering was bought again")
		}
	}
}

func TestSearchOfAnExpiredPlanIsRefused(t *testing.T) {
	emu, awsCfg, url := startEmulator(t, emulator.Config{}, "")
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "expired"})
	if err := emu.SetPlanStatus(planARN, emulator.StatusExpired); err != nil {
		t.Fatal(err)
	}
	_, err := sageMakerClient(awsCfg, url).SearchTrainingPlanOfferings(context.Background(), &sagemaker.SearchTrainingPlanOfferingsInput{TrainingPlanArn: aws.String(planARN)})
	if code := apiErrorCode(err); code != "ValidationException" {
		t.Errorf("search of an expired plan: %v, want ValidationException", err)
	}
}

func TestAssumeRoleIssuesCredentialsThatSign(t *testing.T) {
	emu, awsCfg, url := startEmulator(t, emulator.Config{}, "")
	emu.AddPlan(emulator.PlanSpec{Name: "roles"})
	stsClient := sts.NewFromConfig(awsCfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(url) })
	out, err := stsClient.AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn:           aws.String("arn:aws:iam::210987654321:role/capacity-buyer"),
		RoleSessionName:   aws.String("terraform"),
		DurationSeconds:   aws.Int32(1800),
		SourceIdentity:    aws.String("alice"),
		Tags:              []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("ml-platform")}},
		TransitiveTagKeys: []string{"team"},
		PolicyArns:        []ststypes.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sessions := emu.RoleSessions()
	if len(sessions) != 1 || sessions[0].SourceIdentity != "alice" || sessions[0].Tags["team"] != "ml-platform" || sessions[0].DurationSeconds != 1800 ||
		len(sessions[0].TransitiveTagKeys) != 1 || len(sessions[0].PolicyARNs) != 1 || sessions[0].Caller != emulator.DefaultAccessKeyID {
		t.Errorf("recorded sessions = %+v", sessions)
	}

	// The issued credentials sign SageMaker and STS calls; the caller is the role, in its account.
	roleCfg := awsCfg.Copy()
	roleCfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(out.Credentials.AccessKeyId), aws.ToString(out.Credentials.SecretAccessKey), aws.ToString(out.Credentials.SessionToken))
	if _, err := sageMakerClient(roleCfg, url).DescribeTrainingPlan(context.Background(), &sagemaker.DescribeTrainingPlanInput{TrainingPlanName: aws.String("roles")}); err != nil {
		t.Errorf("a call signed with the role's credentials: %v", err)
	}
	identity, err := sts.NewFromConfig(roleCfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(url) }).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(identity.Account) != "210987654321" || aws.ToString(identity.Arn) != "arn:aws:sts::210987654321:assumed-role/capacity-buyer/terraform" {
		t.Errorf("caller identity with the role's credentials: %+v, %v", identity, err)
	}
	// Without the session token the issued key is not valid.
	roleCfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(out.Credentials.AccessKeyId), aws.ToString(out.Credentials.SecretAccessKey), "")
	if _, err := sageMakerClient(roleCfg, url).DescribeTrainingPlan(context.Background(), &sagemaker.DescribeTrainingPlanInput{TrainingPlanName: aws.String("roles")}); apiErrorCode(err) != "UnrecognizedClientException" {
		t.Errorf("a call without the session token: %v, want UnrecognizedClientException", err)
	}

	if _, err := stsClient.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("capacity-buyer"), RoleSessionName: aws.String("terraform")}); apiErrorCode(err) != "ValidationError" {
		t.Errorf("AssumeRole with a bad role ARN: %v, want ValidationError", err)
	}
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	emu, awsCfg, url := startEmulator(t, emulator.Config{}, "")
	out, err := sts.NewFromConfig(awsCfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(url) }).AssumeRoleWithWebIdentity(context.Background(), &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String("arn:aws:iam::123456789012:role/ci"), RoleSessionName: aws.String("github-actions"), WebIdentityToken: aws.String("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.AssumedRoleUser.Arn) != "arn:aws:sts::123456789012:assumed-role/ci/github-actions" {
		t.Errorf("assumed role user = %s", aws.ToString(out.AssumedRoleUser.Arn))
	}
	if sessions := emu.RoleSessions(); len(sessions) != 1 || sessions[0].WebIdentityToken != "eyJhbGciOiJSUzI1NiJ9.e30.c2ln" || sessions[0].Caller != "" {
		t.Errorf("recorded sessions = %+v", sessions)
	}
}

// bodyRecorder keeps what the SDK read of each answer's body, however the read ended.
type bodyRecorder struct {
	client aws.HTTPClient
	read   bytes.Buffer
}

func (r *bodyRecorder) Do(req *http.Request) (*http.Response, error) {
	resp, err := r.client.Do(req)
	if resp != nil {
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.TeeReader(resp.Body, &r.read), resp.Body}
	}
	return resp, err
}

// TestCommitThenCutAnswerSendsPartOfTheAnswer: the fault answers 200 and resets the connection
// halfway through the body, whether or not the call log wraps the answer.
func TestCommitThenCutAnswerSendsPartOfTheAnswer(t *testing.T) {
	for name, callLog := range map[string]io.Writer{"without a call log": nil, "with a call log": io.Discard} {
		t.Run(name, func(t *testing.T) {
			emu, awsCfg, url := startEmulator(t, emulator.Config{CallLog: callLog}, "")
			recorder := &bodyRecorder{client: awsCfg.HTTPClient}
			awsCfg.HTTPClient = recorder
			planARN := emu.AddPlan(emulator.PlanSpec{Name: "cut"})
			offering, err := emu.AddOffering(planARN, 24)
			if err != nil {
				t.Fatal(err)
			}
			emu.InjectFault(emulator.OpExtendTrainingPlan, emulator.Fault{Kind: emulator.FaultCommitThenCutAnswer, Times: 1})
			_, err = sageMakerClient(awsCfg, url).ExtendTrainingPlan(context.Background(), &sagemaker.ExtendTrainingPlanInput{TrainingPlanExtensionOfferingId: aws.String(offering)})
			if err == nil {
				t.Fatal("a cut answer was read whole")
			}
			if got := recorder.read.String(); !strings.HasPrefix(got, `{"TrainingPlanExtensions":[`) {
				t.Errorf("the SDK read %q of the answer before the reset (%v), want its start", got, err)
			}
			if emu.Purchases() != 1 {
				t.Errorf("the emulator recorded %d purchases, want 1", emu.Purchases())
			}
		})
	}
}
