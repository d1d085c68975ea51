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

resource "sagemaker_training_plan_extension" "this" {
  training_plan_arn        = data.sagemaker_training_plan.this.arn
  requested_duration_hours = var.extension_days * 24
  max_upfront_fee          = var.max_upfront_fee
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
