package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awsbase "github.com/hashicorp/aws-sdk-go-base/v2"
	basediag "github.com/hashicorp/aws-sdk-go-base/v2/diag"
	baselogging "github.com/hashicorp/aws-sdk-go-base/v2/logging"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/sdkhttp"
)

// providerData is what the provider hands to every resource and data source.
type providerData struct {
	sageMaker *sagemaker.Client
	// purchaseLockScope tells the purchase locks of SageMaker endpoints apart (lockScope).
	purchaseLockScope string
	history           historyReads
	quotes            *quoteBook
	planEnds          *planEnds
	planned           plannedPurchases
	spend             *spendGuard
	timing            purchaseTiming
	region            string
	partition         string
	// accountID is empty when skip_requesting_account_id is set.
	accountID string
}

// invalidate forgets what the run read of a training plan, after a purchase changed it.
func (pd *providerData) invalidate(planARN string) {
	pd.history.invalidate(planARN)
	pd.quotes.invalidate(planARN)
	pd.planEnds.invalidate(planARN)
}

// newProviderData configures the provider: it builds the AWS configuration, validates the
// credentials and learns the account with one STS call, refuses a disallowed account, and
// builds the clients.
func newProviderData(ctx context.Context, config providerModel, settings providerSettings) (*providerData, diag.Diagnostics) {
	spend, diags := newSpendGuard(config.AllowPurchases, config.RunBudget)
	baseConfig, sageMakerEndpoint, configDiags := awsbaseConfig(ctx, config, settings.version)
	diags.Append(configDiags...)
	if diags.HasError() {
		return nil, diags
	}
	ctx, logger := baselogging.NewTfLogger(ctx)
	baseConfig.Logger = logger
	// GetAwsConfig would validate the credentials with STS GetCallerIdentity, and the account
	// lookup below makes the same call: give it a copy that skips it, so that one call does both.
	loadOnly := baseConfig
	loadOnly.SkipCredsValidation = true
	ctx, awsConfig, baseDiags := awsbase.GetAwsConfig(ctx, &loadOnly)
	diags.Append(frameworkDiagnostics(baseDiags)...)
	if diags.HasError() {
		return nil, diags
	}
	if awsConfig.Region == "" {
		diags.AddAttributeError(path.Root("region"), "missing AWS Region",
			"Set region in the provider block, or the AWS_REGION environment variable, or a region in the shared config profile.")
		return nil, diags
	}
	awsConfig.HTTPClient = sdkhttp.Wrap(awsConfig.HTTPClient)
	accountID, partition, baseDiags := awsbase.GetAwsAccountIDAndPartition(ctx, awsConfig, &baseConfig)
	diags.Append(frameworkDiagnostics(baseDiags)...)
	if diags.HasError() {
		return nil, diags
	}
	diags.Append(checkAccountAllowed(baseConfig, accountID)...)
	if diags.HasError() {
		return nil, diags
	}

	client := sagemaker.NewFromConfig(awsConfig, func(o *sagemaker.Options) {
		if sageMakerEndpoint != "" {
			o.BaseEndpoint = aws.String(sageMakerEndpoint)
		}
	})
	return &providerData{
		sageMaker:         client,
		purchaseLockScope: lockScope(aws.ToString(client.Options().BaseEndpoint)),
		history:           settings.newHistory(client),
		quotes:            &quoteBook{client: client},
		planEnds:          &planEnds{client: client, reads: runCache[time.Time]{ttl: historyTTL}},
		spend:             spend,
		timing:            settings.timing,
		region:            awsConfig.Region,
		partition:         partition,
		accountID:         accountID,
	}, diags
}

// checkAccountAllowed refuses credentials for an account that allowed_account_ids does not
// list or forbidden_account_ids does, before any SageMaker call: a plan found by name would
// otherwise be extended in whatever account the credentials reach.
func checkAccountAllowed(baseConfig awsbase.Config, accountID string) diag.Diagnostics {
	var diags diag.Diagnostics
	attribute := "allowed_account_ids"
	if len(baseConfig.AllowedAccountIds) == 0 {
		attribute = "forbidden_account_ids"
		if len(baseConfig.ForbiddenAccountIds) == 0 {
			return diags
		}
	}
	switch {
	case accountID == "":
		diags.AddAttributeError(path.Root(attribute), "account ID unknown",
			attribute+" needs the account ID of the credentials, which skip_credentials_validation and skip_requesting_account_id together leave unknown: remove one of them.")
	case baseConfig.VerifyAccountIDAllowed(accountID) != nil:
		diags.AddAttributeError(path.Root(attribute), "credentials for a disallowed AWS account",
			fmt.Sprintf("The provider's credentials are for account %s, which %s %s. Nothing was read or bought. "+
				"Use credentials (or an assume_role) for an allowed account.", accountID, attribute,
				map[string]string{"allowed_account_ids": "does not list", "forbidden_account_ids": "lists"}[attribute]))
	}
	return diags
}

// frameworkDiagnostics carries aws-sdk-go-base's diagnostics over unchanged.
func frameworkDiagnostics(in basediag.Diagnostics) diag.Diagnostics {
	var out diag.Diagnostics
	for _, d := range in {
		switch d.Severity() {
		case basediag.SeverityError:
			out.AddError(d.Summary(), d.Detail())
		case basediag.SeverityWarning:
			out.AddWarning(d.Summary(), d.Detail())
		}
	}
	return out
}

// providerDataFrom turns the value Configure handed over into providerData.
func providerDataFrom(data any) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if data == nil {
		// Terraform has not configured the provider yet (early validation): nothing to do.
		return nil, diags
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("unexpected provider data", fmt.Sprintf("expected *providerData, got %T; please report this issue to the provider developers", data))
	}
	return pd, diags
}

// readTimeout bounds a read, retries included, where no timeouts block says otherwise.
const readTimeout = 5 * time.Minute

// apiContext bounds the API calls of one operation, retries included, and lets aws-sdk-go-base
// log each request and response at TF_LOG=DEBUG, with credentials masked, as the aws provider
// does.
func apiContext(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(baselogging.RegisterLogger(ctx, baselogging.TfLogger("")), timeout)
}
