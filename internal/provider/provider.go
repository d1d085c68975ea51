// Package provider implements the Terraform provider for SageMaker training plan extensions.
package provider

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ provider.Provider                  = (*sageMakerProvider)(nil)
	_ provider.ProviderWithListResources = (*sageMakerProvider)(nil)
)

// New returns a constructor for the provider at a version, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &sageMakerProvider{providerSettings{version: version, timing: defaultPurchaseTiming, newHistory: sharedHistoryScans}}
	}
}

// NewScanningHistoryPerRead is New with one history scan per read instead of the run's
// shared scans: the naive provider that make bench times beside the real one.
func NewScanningHistoryPerRead(version string) func() provider.Provider {
	return func() provider.Provider {
		return &sageMakerProvider{providerSettings{version: version, timing: defaultPurchaseTiming, newHistory: newHistoryScanPerRead}}
	}
}

type sageMakerProvider struct {
	providerSettings
}

// providerSettings are what a provider is built with, before any configuration.
type providerSettings struct {
	version    string
	timing     purchaseTiming
	newHistory func(*sagemaker.Client) historyReads
}

func (p *sageMakerProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "sagemaker"
	resp.Version = p.version
}

func (p *sageMakerProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Purchases and tracks SageMaker training plan extensions. " +
			"Arguments match the `aws` provider's, so its `provider` block can be copied.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "AWS Region of the training plans. Can also be set with the `AWS_REGION` or `AWS_DEFAULT_REGION` environment variables, or in a shared config file.",
			},
			"profile": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Named profile from the shared config and credentials files. Can also be set with `AWS_PROFILE`.",
			},
			"access_key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "AWS access key ID. Can also be set with `AWS_ACCESS_KEY_ID`.",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "AWS secret access key. Can also be set with `AWS_SECRET_ACCESS_KEY`.",
			},
			"token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Session token for temporary credentials. Can also be set with `AWS_SESSION_TOKEN`.",
			},
			"shared_config_files": schema.ListAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Paths of shared config files. Defaults to `~/.aws/config`; can also be set with `AWS_CONFIG_FILE`.",
			},
			"shared_credentials_files": schema.ListAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Paths of shared credentials files. Defaults to `~/.aws/credentials`; can also be set with `AWS_SHARED_CREDENTIALS_FILE`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How many times a throttled or failed API call is retried before the error is returned. Defaults to 25, as in the `aws` provider; `0` turns retries off. " +
					"Purchases are only retried when the request certainly did not reach AWS; see the resource's purchase safety rules.",
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"retry_mode": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "How retries are paced: `standard` or `adaptive`. Can also be set with `AWS_RETRY_MODE`.",
				Validators:          []validator.String{stringvalidator.OneOf("standard", "adaptive")},
			},
			"skip_credentials_validation": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip validating the credentials with STS `GetCallerIdentity`.",
			},
			"skip_requesting_account_id": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip looking up the account ID. Training plan ARNs are then not checked against the account at plan time.",
			},
			"skip_metadata_api_check": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip the EC2 instance metadata service when looking for credentials.",
			},
			"custom_ca_bundle": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path of a PEM file with certificate authorities to trust for HTTPS, for example for a VPC endpoint behind a private CA. Can also be set with `AWS_CA_BUNDLE`.",
			},
			"http_proxy": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "URL of a proxy for HTTP and HTTPS requests. Can also be set with `HTTP_PROXY` and `HTTPS_PROXY`.",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip TLS certificate verification. Off by default; only for testing against a local endpoint.",
			},
			"use_fips_endpoint": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Use FIPS endpoints. Can also be set with `AWS_USE_FIPS_ENDPOINT`.",
			},
			"use_dualstack_endpoint": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Use dual-stack (IPv4 and IPv6) endpoints. Can also be set with `AWS_USE_DUALSTACK_ENDPOINT`.",
			},
			"allowed_account_ids": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Accounts the provider may act in. When the credentials are for any other account, configuring the provider fails, " +
					"before any SageMaker call: nothing is read and nothing is bought. Needs the account ID: not with both `skip_credentials_validation` and `skip_requesting_account_id`.",
				Validators: accountIDSetValidators("forbidden_account_ids"),
			},
			"forbidden_account_ids": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Accounts the provider must not act in. When the credentials are for one of them, configuring the provider fails, " +
					"before any SageMaker call. Needs the account ID: not with both `skip_credentials_validation` and `skip_requesting_account_id`.",
				Validators: accountIDSetValidators("allowed_account_ids"),
			},
			"sts_region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Region of the STS endpoint for credential validation and role assumption. Defaults to `region`.",
			},
			"https_proxy": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "URL of a proxy for HTTPS requests. Can also be set with `HTTPS_PROXY`.",
			},
			"no_proxy": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Comma-separated hosts that bypass the proxies. Can also be set with `NO_PROXY`.",
			},
			"ec2_metadata_service_endpoint": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Address of the EC2 instance metadata service, for credentials. Can also be set with `AWS_EC2_METADATA_SERVICE_ENDPOINT`.",
			},
			"ec2_metadata_service_endpoint_mode": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Protocol of the EC2 instance metadata service: `IPv4` or `IPv6`. Can also be set with `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`.",
				Validators:          []validator.String{stringvalidator.OneOf("IPv4", "IPv6")},
			},
			"allow_purchases": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether this provider configuration may buy extensions. Defaults to `true`. With `false`, or the environment variable " +
					"`" + allowPurchasesEnv + "=false`, a plan that would buy fails, naming the resource and what it would buy; refreshes, imports, " +
					"data sources, the list resource, adopting an offering already bought, and destroys keep working. Either one set to `false` forbids " +
					"purchases: a pipeline that must not spend sets the variable, whatever its configurations say.",
			},
			"token_bucket_rate_limiter_capacity": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Capacity of the retry rate limiter's token bucket. Defaults to the AWS SDK's 500.",
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.ListNestedBlock{
				MarkdownDescription: "A role to assume with the credentials found, as in the `aws` provider. Several blocks chain: each role is assumed with the credentials of the one before.",
				NestedObject: schema.NestedBlockObject{
					Attributes: withRoleSessionAttributes(map[string]schema.Attribute{
						"role_arn": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "ARN of the IAM role to assume.",
						},
						"session_name": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "Session name to use when assuming the role.",
						},
						"external_id": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "External identifier to use when assuming the role.",
						},
						"source_identity":     schema.StringAttribute{Optional: true, MarkdownDescription: "Source identity recorded on the role session, such as the user who runs Terraform."},
						"tags":                schema.MapAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Session tags."},
						"transitive_tag_keys": schema.SetAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Keys of the session tags that pass on to roles assumed from this one."},
					}),
				},
			},
			"assume_role_with_web_identity": schema.ListNestedBlock{
				MarkdownDescription: "A role to assume with a web identity token (OIDC), as in the `aws` provider, for example in CI.",
				Validators:          []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: withRoleSessionAttributes(map[string]schema.Attribute{
						"role_arn":     schema.StringAttribute{Optional: true, MarkdownDescription: "ARN of the IAM role to assume. Can also be set with `AWS_ROLE_ARN`."},
						"session_name": schema.StringAttribute{Optional: true, MarkdownDescription: "Session name. Can also be set with `AWS_ROLE_SESSION_NAME`."},
						"web_identity_token": schema.StringAttribute{
							Optional: true, Sensitive: true, MarkdownDescription: "The token. Conflicts with `web_identity_token_file`.",
							Validators: []validator.String{stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("web_identity_token_file"))},
						},
						"web_identity_token_file": schema.StringAttribute{Optional: true, MarkdownDescription: "File holding the token. Can also be set with `AWS_WEB_IDENTITY_TOKEN_FILE`."},
					}),
				},
			},
			"run_budget": schema.ListNestedBlock{
				MarkdownDescription: "The most one run (one `terraform plan` or `terraform apply`) may spend through this provider configuration, in one currency. " +
					"A plan whose purchases add up to more fails before anything is bought, counting `max_upfront_fee` for a quote chosen at apply; " +
					"apply counts what it buys against the same total, so a price rise in between, or quotes chosen at apply, never take a run over it. " +
					"A purchase in another currency, or whose price is not known before buying, is refused.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"max_upfront_fee": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "The total upfront fee one run may spend, as a decimal amount such as `\"50000\"`.",
							Validators:          []validator.String{stringvalidator.RegexMatches(feePattern, `must be a decimal amount such as "50000" or "50000.50"`)},
						},
						"currency_code": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "Currency of `max_upfront_fee`, such as `USD`: the currency of the quotes it lets the run buy.",
							Validators:          []validator.String{stringvalidator.RegexMatches(currencyCodePattern, "must be a three-letter ISO 4217 currency code such as \"USD\"")},
						},
					},
				},
			},
			"endpoints": schema.ListNestedBlock{
				MarkdownDescription: "Custom endpoint URLs, for VPC endpoints or a local emulator.",
				Validators:          []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"sagemaker": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "SageMaker endpoint URL. Can also be set with `AWS_ENDPOINT_URL_SAGEMAKER`.",
						},
						"sts": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "STS endpoint URL. Can also be set with `AWS_ENDPOINT_URL_STS`.",
						},
					},
				},
			},
		},
	}
}

// withRoleSessionAttributes adds the arguments every way of assuming a role takes.
func withRoleSessionAttributes(attributes map[string]schema.Attribute) map[string]schema.Attribute {
	attributes["duration"] = schema.StringAttribute{
		CustomType:          timetypes.GoDurationType{},
		Optional:            true,
		MarkdownDescription: "How long the role session lasts, as a Go duration such as `1h` (15 minutes to 12 hours).",
		Validators:          []validator.String{roleSessionDuration()},
	}
	attributes["policy"] = schema.StringAttribute{Optional: true, MarkdownDescription: "IAM policy JSON that further restricts the role session."}
	attributes["policy_arns"] = schema.SetAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "ARNs of managed policies that further restrict the role session."}
	return attributes
}

func (p *sageMakerProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data, diags := newProviderData(ctx, config, p.providerSettings)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

func (p *sageMakerProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewTrainingPlanExtensionResource,
	}
}

func (p *sageMakerProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewTrainingPlanExtensionListResource,
	}
}

func (p *sageMakerProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewTrainingPlanDataSource,
		NewTrainingPlanExtensionDataSource,
		NewTrainingPlanExtensionsDataSource,
		NewTrainingPlanExtensionOfferingsDataSource,
	}
}

type providerModel struct {
	Region                         types.String                     `tfsdk:"region"`
	Profile                        types.String                     `tfsdk:"profile"`
	AccessKey                      types.String                     `tfsdk:"access_key"`
	SecretKey                      types.String                     `tfsdk:"secret_key"`
	Token                          types.String                     `tfsdk:"token"`
	SharedConfigFiles              types.List                       `tfsdk:"shared_config_files"`
	SharedCredentialsFiles         types.List                       `tfsdk:"shared_credentials_files"`
	MaxRetries                     types.Int64                      `tfsdk:"max_retries"`
	RetryMode                      types.String                     `tfsdk:"retry_mode"`
	SkipCredentialsValidation      types.Bool                       `tfsdk:"skip_credentials_validation"`
	SkipRequestingAccountID        types.Bool                       `tfsdk:"skip_requesting_account_id"`
	SkipMetadataAPICheck           types.Bool                       `tfsdk:"skip_metadata_api_check"`
	CustomCABundle                 types.String                     `tfsdk:"custom_ca_bundle"`
	HTTPProxy                      types.String                     `tfsdk:"http_proxy"`
	Insecure                       types.Bool                       `tfsdk:"insecure"`
	UseFIPSEndpoint                types.Bool                       `tfsdk:"use_fips_endpoint"`
	UseDualStackEndpoint           types.Bool                       `tfsdk:"use_dualstack_endpoint"`
	AllowedAccountIDs              types.Set                        `tfsdk:"allowed_account_ids"`
	ForbiddenAccountIDs            types.Set                        `tfsdk:"forbidden_account_ids"`
	STSRegion                      types.String                     `tfsdk:"sts_region"`
	HTTPSProxy                     types.String                     `tfsdk:"https_proxy"`
	NoProxy                        types.String                     `tfsdk:"no_proxy"`
	EC2MetadataServiceEndpoint     types.String                     `tfsdk:"ec2_metadata_service_endpoint"`
	EC2MetadataServiceEndpointMode types.String                     `tfsdk:"ec2_metadata_service_endpoint_mode"`
	TokenBucketRateLimiterCapacity types.Int64                      `tfsdk:"token_bucket_rate_limiter_capacity"`
	AllowPurchases                 types.Bool                       `tfsdk:"allow_purchases"`
	RunBudget                      []runBudgetModel                 `tfsdk:"run_budget"`
	AssumeRole                     []assumeRoleModel                `tfsdk:"assume_role"`
	AssumeRoleWithWebIdentity      []assumeRoleWithWebIdentityModel `tfsdk:"assume_role_with_web_identity"`
	Endpoints                      []endpointsModel                 `tfsdk:"endpoints"`
}

type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	ExternalID        types.String `tfsdk:"external_id"`
	SourceIdentity    types.String `tfsdk:"source_identity"`
	Tags              types.Map    `tfsdk:"tags"`
	TransitiveTagKeys types.Set    `tfsdk:"transitive_tag_keys"`
	roleSessionModel
}

type assumeRoleWithWebIdentityModel struct {
	RoleARN              types.String `tfsdk:"role_arn"`
	SessionName          types.String `tfsdk:"session_name"`
	WebIdentityToken     types.String `tfsdk:"web_identity_token"`
	WebIdentityTokenFile types.String `tfsdk:"web_identity_token_file"`
	roleSessionModel
}

// roleSessionModel holds the arguments every way of assuming a role takes
// (withRoleSessionAttributes).
type roleSessionModel struct {
	Duration   timetypes.GoDuration `tfsdk:"duration"`
	Policy     types.String         `tfsdk:"policy"`
	PolicyARNs types.Set            `tfsdk:"policy_arns"`
}

type endpointsModel struct {
	SageMaker types.String `tfsdk:"sagemaker"`
	STS       types.String `tfsdk:"sts"`
}
