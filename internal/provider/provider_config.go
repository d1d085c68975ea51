package provider

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	awsbase "github.com/hashicorp/aws-sdk-go-base/v2"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// defaultMaxRetries follows the aws provider: a burst of throttling on a large refresh slows a
// plan down instead of failing it.
const defaultMaxRetries = 25

// awsbaseConfig maps the provider block to aws-sdk-go-base's configuration, and returns the
// SageMaker endpoint, which aws-sdk-go-base does not know. It makes no call.
func awsbaseConfig(ctx context.Context, config providerModel, version string) (awsbase.Config, string, diag.Diagnostics) {
	baseConfig := awsbase.Config{
		AccessKey:               config.AccessKey.ValueString(),
		SecretKey:               config.SecretKey.ValueString(),
		Token:                   config.Token.ValueString(),
		Profile:                 config.Profile.ValueString(),
		Region:                  config.Region.ValueString(),
		CallerName:              "Terraform SageMaker Provider",
		CallerDocumentationURL:  "https://registry.terraform.io/providers/tfsagemaker/sagemaker",
		MaxRetries:              defaultMaxRetries,
		SkipCredsValidation:     config.SkipCredentialsValidation.ValueBool(),
		SkipRequestingAccountId: config.SkipRequestingAccountID.ValueBool(),
		CustomCABundle:          config.CustomCABundle.ValueString(),
		Insecure:                config.Insecure.ValueBool(),
		UseFIPSEndpoint:         config.UseFIPSEndpoint.ValueBool(),
		UseDualStackEndpoint:    config.UseDualStackEndpoint.ValueBool(),
		StsRegion:               config.STSRegion.ValueString(),
		NoProxy:                 config.NoProxy.ValueString(),
		HTTPProxy:               config.HTTPProxy.ValueStringPointer(),
		HTTPSProxy:              config.HTTPSProxy.ValueStringPointer(),

		EC2MetadataServiceEndpoint:     config.EC2MetadataServiceEndpoint.ValueString(),
		EC2MetadataServiceEndpointMode: config.EC2MetadataServiceEndpointMode.ValueString(),
		TokenBucketRateLimiterCapacity: int(config.TokenBucketRateLimiterCapacity.ValueInt64()),
		UserAgent: awsbase.UserAgentProducts{{
			Name:    "terraform-provider-sagemaker",
			Version: version,
			Comment: "+https://registry.terraform.io/providers/tfsagemaker/sagemaker",
		}},
	}
	if !config.MaxRetries.IsNull() {
		// aws-sdk-go-base passes the value on as the most attempts, and 0 as the SDK's default
		// of 3: as in the aws provider, 0 means one attempt, no retry.
		baseConfig.MaxRetries = max(int(config.MaxRetries.ValueInt64()), 1)
	}
	// The schema allows only the modes the SDK knows.
	baseConfig.RetryMode, _ = aws.ParseRetryMode(config.RetryMode.ValueString())
	if config.SkipMetadataAPICheck.ValueBool() {
		baseConfig.EC2MetadataServiceEnableState = imds.ClientDisabled
	}
	diags := knownElements(ctx, path.Root("shared_config_files"), config.SharedConfigFiles, &baseConfig.SharedConfigFiles)
	diags.Append(knownElements(ctx, path.Root("shared_credentials_files"), config.SharedCredentialsFiles, &baseConfig.SharedCredentialsFiles)...)
	diags.Append(knownElements(ctx, path.Root("allowed_account_ids"), config.AllowedAccountIDs, &baseConfig.AllowedAccountIds)...)
	diags.Append(knownElements(ctx, path.Root("forbidden_account_ids"), config.ForbiddenAccountIDs, &baseConfig.ForbiddenAccountIds)...)
	var roleDiags diag.Diagnostics
	baseConfig.AssumeRole, roleDiags = assumeRoles(ctx, config.AssumeRole)
	diags.Append(roleDiags...)
	baseConfig.AssumeRoleWithWebIdentity, roleDiags = webIdentityRole(ctx, config.AssumeRoleWithWebIdentity)
	diags.Append(roleDiags...)
	var sageMakerEndpoint string
	for _, endpoints := range config.Endpoints {
		sageMakerEndpoint = endpoints.SageMaker.ValueString()
		baseConfig.StsEndpoint = endpoints.STS.ValueString()
	}
	return baseConfig, sageMakerEndpoint, diags
}

// assumeRoles maps the assume_role blocks, a chain of roles.
func assumeRoles(ctx context.Context, roles []assumeRoleModel) ([]awsbase.AssumeRole, diag.Diagnostics) {
	var diags diag.Diagnostics
	var out []awsbase.AssumeRole
	for i, role := range roles {
		at := path.Root("assume_role").AtListIndex(i)
		assumeRole := awsbase.AssumeRole{
			RoleARN:        role.RoleARN.ValueString(),
			SessionName:    role.SessionName.ValueString(),
			ExternalID:     role.ExternalID.ValueString(),
			Policy:         role.Policy.ValueString(),
			SourceIdentity: role.SourceIdentity.ValueString(),
		}
		diags.Append(durationOf(role.Duration, &assumeRole.Duration)...)
		diags.Append(knownElements(ctx, at.AtName("policy_arns"), role.PolicyARNs, &assumeRole.PolicyARNs)...)
		diags.Append(knownElements(ctx, at.AtName("tags"), role.Tags, &assumeRole.Tags)...)
		diags.Append(knownElements(ctx, at.AtName("transitive_tag_keys"), role.TransitiveTagKeys, &assumeRole.TransitiveTagKeys)...)
		out = append(out, assumeRole)
	}
	return out, diags
}

// webIdentityRole maps the assume_role_with_web_identity block, of which there is one at most.
func webIdentityRole(ctx context.Context, roles []assumeRoleWithWebIdentityModel) (*awsbase.AssumeRoleWithWebIdentity, diag.Diagnostics) {
	var diags diag.Diagnostics
	if len(roles) == 0 {
		return nil, diags
	}
	role := roles[0]
	out := &awsbase.AssumeRoleWithWebIdentity{
		RoleARN:              role.RoleARN.ValueString(),
		SessionName:          role.SessionName.ValueString(),
		WebIdentityToken:     role.WebIdentityToken.ValueString(),
		WebIdentityTokenFile: role.WebIdentityTokenFile.ValueString(),
		Policy:               role.Policy.ValueString(),
	}
	diags.Append(durationOf(role.Duration, &out.Duration)...)
	diags.Append(knownElements(ctx, path.Root("assume_role_with_web_identity").AtListIndex(0).AtName("policy_arns"), role.PolicyARNs, &out.PolicyARNs)...)
	return out, diags
}

// collection is a list, set or map argument.
type collection interface {
	attr.Value
	ElementsAs(ctx context.Context, target any, allowUnhandled bool) diag.Diagnostics
}

// knownElements reads a collection argument into target, refusing one that is, or holds values,
// known only after apply: the provider cannot be configured, nor its guards checked, without it.
func knownElements(ctx context.Context, attribute path.Path, value collection, target any) diag.Diagnostics {
	var diags diag.Diagnostics
	if tfValue, err := value.ToTerraformValue(ctx); err == nil && !tfValue.IsFullyKnown() {
		diags.AddAttributeError(attribute, "configuring the SageMaker provider",
			attribute.String()+" is known only after apply, and the provider needs it to be configured. Set it from values known when planning "+
				"(variables, locals, data sources without depends_on), or apply the resources it depends on first with terraform apply -target.")
		return diags
	}
	return value.ElementsAs(ctx, target, false)
}

// durationOf reads a role session's duration into target, leaving it zero, the default, when
// the duration is not set.
func durationOf(d timetypes.GoDuration, target *time.Duration) diag.Diagnostics {
	if d.IsNull() || d.IsUnknown() {
		return nil
	}
	var diags diag.Diagnostics
	*target, diags = d.ValueGoDuration()
	return diags
}
