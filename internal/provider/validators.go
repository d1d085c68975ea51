package provider

import (
	"context"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	// offeringIDPattern: AWS issues "tpeo-" followed by a SHA-256 hex digest.
	offeringIDPattern       = regexp.MustCompile(`^tpeo-[0-9a-zA-Z]+$`)
	trainingPlanNamePattern = regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$`)
)

const (
	offeringIDForm       = `an extension offering ID, "tpeo-" followed by letters and digits, as the sagemaker_training_plan_extension_offerings data source returns it`
	trainingPlanNameForm = "a training plan name: 1 to 64 letters, digits and hyphens, starting and ending with a letter or digit"

	// maxOfferingIDLength is the longest offering ID AWS accepts.
	maxOfferingIDLength = 256
)

// validOfferingID reports whether s has the form of an extension offering ID.
func validOfferingID(s string) bool {
	return len(s) <= maxOfferingIDLength && offeringIDPattern.MatchString(s)
}

func trainingPlanARNValidators() []validator.String {
	return []validator.String{formValidator{valid: validTrainingPlanARN, form: trainingPlanARNForm, hint: trainingPlanARNHint}}
}

func offeringIDValidators() []validator.String {
	return []validator.String{formValidator{valid: validOfferingID, form: offeringIDForm, hint: offeringIDHint}}
}

func trainingPlanNameValidators() []validator.String {
	return []validator.String{formValidator{valid: trainingPlanNamePattern.MatchString, form: trainingPlanNameForm, hint: whiteSpaceHint}}
}

// formValidator refuses a value that is not of a form, with one error that names the
// attribute, quotes the value and the expected form, and points at the fix when the mistake
// is a recognizable one.
type formValidator struct {
	valid func(string) bool
	form  string
	hint  func(string) string
}

func (v formValidator) Description(context.Context) string { return "must be " + v.form }

func (v formValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v formValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || v.valid(req.ConfigValue.ValueString()) {
		return
	}
	value := req.ConfigValue.ValueString()
	detail := fmt.Sprintf("Attribute %s must be %s, got: %q", req.Path, v.form, value)
	if hint := v.hint(value); hint != "" {
		detail += "\n\n" + hint
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value", detail)
}

func whiteSpaceHint(value string) string {
	if strings.TrimSpace(value) != value {
		return "The value has white space at its start or end; remove it."
	}
	return ""
}

func trainingPlanARNHint(value string) string {
	switch {
	case trainingPlanNamePattern.MatchString(value):
		return fmt.Sprintf("%q looks like a training plan name. Look the plan up by name and use its ARN:\n\n"+
			"  data \"sagemaker_training_plan\" \"this\" {\n    name = %q\n  }\n\nand training_plan_arn = data.sagemaker_training_plan.this.arn", value, value)
	case offeringIDPattern.MatchString(strings.TrimSpace(value)):
		return fmt.Sprintf("%q looks like an extension offering ID: it goes in training_plan_extension_offering_id.", value)
	}
	return whiteSpaceHint(value)
}

func offeringIDHint(value string) string {
	if trainingPlanARNPattern.MatchString(strings.TrimSpace(value)) {
		return fmt.Sprintf("%q looks like a training plan ARN: it goes in training_plan_arn.", value)
	}
	return whiteSpaceHint(value)
}

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// accountIDSetValidators check a set of account IDs that conflicts with another.
func accountIDSetValidators(conflicting string) []validator.Set {
	return []validator.Set{
		setvalidator.ValueStringsAre(stringvalidator.RegexMatches(accountIDPattern, "must be a 12-digit AWS account ID")),
		setvalidator.ConflictsWith(path.MatchRoot(conflicting)),
	}
}

// Role sessions last from 15 minutes to 12 hours.
const (
	minRoleSession = 15 * time.Minute
	maxRoleSession = 12 * time.Hour
)

// roleSessionDuration refuses a duration that a role session cannot last; its type,
// timetypes.GoDurationType, refuses what is not a duration.
func roleSessionDuration() validator.String {
	return durationRangeValidator{min: minRoleSession, max: maxRoleSession}
}

type durationRangeValidator struct{ min, max time.Duration }

func (v durationRangeValidator) Description(context.Context) string {
	return fmt.Sprintf("must be from %s to %s", v.min, v.max)
}

func (v durationRangeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v durationRangeValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err == nil && (d < v.min || d > v.max) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
			fmt.Sprintf("Attribute %s %s, got: %q", req.Path, v.Description(ctx), req.ConfigValue.ValueString()))
	}
}

// wholeHours accepts a whole number of hours from 1 to the longest extension. The attributes
// it validates are numbers rather than integers, so that a fraction gets this error, which
// names the attribute and the value, instead of the framework's conversion error.
func wholeHours() validator.Number {
	return wholeHoursValidator{}
}

type wholeHoursValidator struct{}

func (v wholeHoursValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a whole number of hours from 1 to %d", maxExtensionHours)
}

func (v wholeHoursValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v wholeHoursValidator) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	n := req.ConfigValue.ValueBigFloat()
	if n.IsInt() && n.Cmp(big.NewFloat(1)) >= 0 && n.Cmp(big.NewFloat(maxExtensionHours)) <= 0 {
		return
	}
	detail := fmt.Sprintf("Attribute %s %s, got: %s", req.Path, v.Description(ctx), n.Text('f', -1))
	if !n.IsInt() {
		detail += "\n\nAWS sells whole days up to 14 days and whole weeks up to 26 weeks, and rounds a request up to them: " +
			"24 is one day, 168 one week."
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value", detail)
}

// hoursOf is the whole number of hours a validated attribute holds.
func hoursOf(n types.Number) int64 {
	hours, _ := n.ValueBigFloat().Int64()
	return hours
}
