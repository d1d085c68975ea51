# Spend policy for SageMaker training plan extensions, on the JSON of a saved Terraform plan:
#
#   terraform plan -out=tfplan && terraform show -json tfplan > tfplan.json
#   opa eval --fail-defined -d sagemaker_extensions.rego -i tfplan.json 'data.sagemaker.extensions.deny[msg]'
#   conftest test --policy sagemaker_extensions.rego --namespace sagemaker.extensions tfplan.json
#
# Both fail when the plan buys more than the limits below allow. To change them without editing
# this file, pass a data document: opa eval -d limits.json, with {"limits": {...}}.
package sagemaker.extensions

default_limits := {
	# The most one plan may spend on extensions, in currency_code.
	"max_total_upfront_fee": 50000,
	# The only currency purchases may be made in.
	"currency_code": "USD",
	# The longest extension one resource may buy, in hours (336 is two weeks).
	"max_duration_hours": 336,
}

default overrides := {}

overrides := data.limits

limits := object.union(default_limits, overrides)

# A purchase is an extension's create (a replacement's too), or the update that settles a
# purchase AWS never confirmed, whose extended_at is then known only after apply.
purchases contains change if {
	some change in input.resource_changes
	change.type == "sagemaker_training_plan_extension"
	buys(change.change)
}

buys(change) if "create" in change.actions

buys(change) if {
	"update" in change.actions
	change.after_unknown.extended_at
}

# The offerings the plan's offerings data sources found, by ID, in every module.
quoted[id] := offering if {
	some value
	walk(input.prior_state.values, [_, value])
	value.mode == "data"
	value.type == "sagemaker_training_plan_extension_offerings"
	some offering in value.values.offerings
	id := offering.training_plan_extension_offering_id
}

# What a purchase is planned to cost: its quote's fee when the plan shows it; for an offering
# ID, the fee the offerings data source quoted for it; otherwise max_upfront_fee, the most a
# quote chosen at apply may cost (its currency is then not known).
price(change) := {"fee": to_number(after.upfront_fee), "currency": after.currency_code} if {
	after := change.change.after
	is_string(after.upfront_fee)
} else := {"fee": to_number(offering.upfront_fee), "currency": offering.currency_code} if {
	offering := quoted[change.change.after.training_plan_extension_offering_id]
} else := {"fee": to_number(change.change.after.max_upfront_fee), "currency": null} if {
	is_string(change.change.after.max_upfront_fee)
}

# How long a purchase is planned to be: the quote's length, or the length asked for.
hours(change) := change.change.after.duration_hours if {
	is_number(change.change.after.duration_hours)
} else := to_number(change.change.after.requested_duration_hours) if {
	change.change.after.requested_duration_hours != null
} else := offering.duration_hours if {
	offering := quoted[change.change.after.training_plan_extension_offering_id]
}

deny contains msg if {
	some change in purchases
	not price(change)
	msg := sprintf("%s buys an extension whose price the plan does not show, and no max_upfront_fee bounds it: a price known only after apply cannot be policed", [change.address])
}

deny contains msg if {
	some change in purchases
	currency := price(change).currency
	currency != null
	currency != limits.currency_code
	msg := sprintf("%s buys in %s; purchases must be in %s", [change.address, currency, limits.currency_code])
}

deny contains msg if {
	some change in purchases
	hours(change) > limits.max_duration_hours
	msg := sprintf("%s buys %v hours; an extension may be at most %v hours", [change.address, hours(change), limits.max_duration_hours])
}

deny contains msg if {
	total := sum([price(change).fee | some change in purchases])
	total > limits.max_total_upfront_fee
	msg := sprintf("the plan buys training plan extensions for %v %s in all; a plan may spend at most %v", [total, limits.currency_code, limits.max_total_upfront_fee])
}
