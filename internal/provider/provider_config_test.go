package provider

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	awsbase "github.com/hashicorp/aws-sdk-go-base/v2"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func stringSet(values ...string) types.Set {
	elements := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elements = append(elements, types.StringValue(v))
	}
	return types.SetValueMust(types.StringType, elements)
}

// emptyProviderModel is a provider block with nothing set, as Terraform sends it.
func emptyProviderModel() providerModel {
	return providerModel{
		SharedConfigFiles:      types.ListNull(types.StringType),
		SharedCredentialsFiles: types.ListNull(types.StringType),
		AllowedAccountIDs:      types.SetNull(types.StringType),
		ForbiddenAccountIDs:    types.SetNull(types.StringType),
	}
}

// TestAWSBaseConfig maps a provider block without any call.
func TestAWSBaseConfig(t *testing.T) {
	config := emptyProviderModel()
	config.Region = types.StringValue("us-west-2")
	config.MaxRetries = types.Int64Value(0)
	config.RetryMode = types.StringValue("adaptive")
	config.SkipMetadataAPICheck = types.BoolValue(true)
	config.HTTPSProxy = types.StringValue("http://proxy:3128")
	config.SharedConfigFiles = types.ListValueMust(types.StringType, []attr.Value{types.StringValue("/etc/aws/config")})
	config.AllowedAccountIDs = stringSet("123456789012")
	config.AssumeRole = []assumeRoleModel{{
		RoleARN:           types.StringValue("arn:aws:iam::123456789012:role/ci"),
		Tags:              types.MapValueMust(types.StringType, map[string]attr.Value{"team": types.StringValue("ml")}),
		TransitiveTagKeys: stringSet("team"),
		roleSessionModel: roleSessionModel{
			Duration:   timetypes.NewGoDurationValue(90 * time.Minute),
			PolicyARNs: stringSet("arn:aws:iam::aws:policy/ReadOnlyAccess"),
		},
	}}
	config.AssumeRoleWithWebIdentity = []assumeRoleWithWebIdentityModel{{
		RoleARN:          types.StringValue("arn:aws:iam::123456789012:role/oidc"),
		roleSessionModel: roleSessionModel{Duration: timetypes.NewGoDurationNull(), PolicyARNs: types.SetNull(types.StringType)},
	}}
	config.Endpoints = []endpointsModel{{SageMaker: types.StringValue("http://127.0.0.1:1"), STS: types.StringValue("http://127.0.0.1:2")}}

	got, sageMakerEndpoint, diags := awsbaseConfig(context.Background(), config, "1.2.3")
	if diags.HasError() {
		t.Fatal(diags)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"region", got.Region, "us-west-2"},
		{"max_retries 0, one attempt", got.MaxRetries, 1},
		{"retry_mode", got.RetryMode, aws.RetryModeAdaptive},
		{"skip_metadata_api_check", got.EC2MetadataServiceEnableState, imds.ClientDisabled},
		{"https_proxy", aws.ToString(got.HTTPSProxy), "http://proxy:3128"},
		{"http_proxy unset", got.HTTPProxy, (*string)(nil)},
		{"shared_config_files", got.SharedConfigFiles, []string{"/etc/aws/config"}},
		{"allowed_account_ids", got.AllowedAccountIds, []string{"123456789012"}},
		{"assume_role", got.AssumeRole, []awsbase.AssumeRole{{
			RoleARN: "arn:aws:iam::123456789012:role/ci", Duration: 90 * time.Minute,
			PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, Tags: map[string]string{"team": "ml"}, TransitiveTagKeys: []string{"team"},
		}}},
		{"assume_role_with_web_identity", *got.AssumeRoleWithWebIdentity, awsbase.AssumeRoleWithWebIdentity{RoleARN: "arn:aws:iam::123456789012:role/oidc"}},
		{"endpoints.sts", got.StsEndpoint, "http://127.0.0.1:2"},
		{"endpoints.sagemaker", sageMakerEndpoint, "http://127.0.0.1:1"},
		{"user agent", got.UserAgent[0].Version, "1.2.3"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

// TestAWSBaseConfigDefaults pins what an empty provider block leaves to aws-sdk-go-base and
// the environment.
func TestAWSBaseConfigDefaults(t *testing.T) {
	got, sageMakerEndpoint, diags := awsbaseConfig(context.Background(), emptyProviderModel(), "1.2.3")
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got.MaxRetries != defaultMaxRetries || got.RetryMode != "" || got.AssumeRole != nil || got.AssumeRoleWithWebIdentity != nil ||
		got.AllowedAccountIds != nil || got.EC2MetadataServiceEnableState != imds.ClientDefaultEnableState || sageMakerEndpoint != "" {
		t.Errorf("an empty provider block sets more than the defaults: %+v, SageMaker endpoint %q", got, sageMakerEndpoint)
	}
}

// TestAWSBaseConfigUnknownCollection refuses a list or set known only after apply, naming it.
func TestAWSBaseConfigUnknownCollection(t *testing.T) {
	config := emptyProviderModel()
	config.AllowedAccountIDs = types.SetUnknown(types.StringType)
	config.AssumeRole = []assumeRoleModel{{roleSessionModel: roleSessionModel{PolicyARNs: types.SetUnknown(types.StringType)}, Tags: types.MapNull(types.StringType), TransitiveTagKeys: types.SetNull(types.StringType)}}
	_, _, diags := awsbaseConfig(context.Background(), config, "1.2.3")
	var details []string
	for _, d := range diags.Errors() {
		details = append(details, d.Detail())
	}
	all := strings.Join(details, "\n")
	if len(details) != 2 || !strings.Contains(all, "allowed_account_ids is known only after apply") ||
		!strings.Contains(all, "assume_role[0].policy_arns is known only after apply") {
		t.Errorf("unknown collections are not refused by name:\n%s", all)
	}
}
