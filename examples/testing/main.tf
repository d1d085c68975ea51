# llm-capacity: a small module that extends a training plan, for at most a given price, and
# reports the plan's new end. tests/ shows how to test such a module at no cost: against the
# provider's SageMaker emulator, and with a mock provider (see docs/guides/testing.md).
terraform {
  required_providers {
    sagemaker = {
      source = "tfsagemaker/sagemaker"
    }
  }
}

variable "training_plan_name" {
  description = "Name of the training plan to extend."
  type        = string
}

variable "extension_days" {
  description = "Days to extend the plan by: 1 to 14, or whole weeks up to 182."
  type        = number
  default     = 7
}

variable "max_upfront_fee" {
  description = "The most to pay, in the quote's currency."
  type        = string
  default     = "25000"
}

data "sagemaker_training_plan" "this" {
  name = var.training_plan_name
}

# The quotes AWS offers now: what the preconditions below check before anything is bought.
data "sagemaker_training_plan_extension_offerings" "quotes" {
  training_plan_arn = data.sagemaker_training_plan.this.arn
  duration_hours    = var.extension_days * 24
}

resource "sagemaker_training_plan_extension" "this" {
  training_plan_arn        = data.sagemaker_training_plan.this.arn
  requested_duration_hours = var.extension_days * 24
  max_upfront_fee          = var.max_upfront_fee

  # Failures a caller, and a test (expect_failures), can name, before the provider is asked to
  # buy. They run on every plan: once the training plan has expired, remove the module.
  lifecycle {
    precondition {
      condition     = contains(["Active", "Scheduled"], data.sagemaker_training_plan.this.status)
      error_message = "Training plan ${var.training_plan_name} is ${data.sagemaker_training_plan.this.status}: only Active and Scheduled plans can be extended."
    }
    precondition {
      condition     = data.sagemaker_training_plan_extension_offerings.quotes.lowest_upfront_fee != null
      error_message = "AWS offers no ${var.extension_days}-day extension of training plan ${var.training_plan_name} right now: capacity is not guaranteed."
    }
    precondition {
      condition     = try(tonumber(data.sagemaker_training_plan_extension_offerings.quotes.lowest_upfront_fee) <= tonumber(var.max_upfront_fee), true)
      error_message = "No ${var.extension_days}-day extension of training plan ${var.training_plan_name} costs at most ${var.max_upfront_fee}."
    }
  }
}

output "new_plan_end" {
  description = "When the training plan ends with the extension."
  value       = sagemaker_training_plan_extension.this.end_date
}

output "extension_offering_id" {
  description = "The offering bought."
  value       = sagemaker_training_plan_extension.this.training_plan_extension_offering_id
}

output "extended_days" {
  description = "Length of the extension bought, in days."
  value       = sagemaker_training_plan_extension.this.duration_hours / 24
}

output "cost" {
  description = "What the extension costs."
  value       = "${sagemaker_training_plan_extension.this.upfront_fee} ${sagemaker_training_plan_extension.this.currency_code}"
}
