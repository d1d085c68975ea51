# Extends a training plan by the wanted length, for at most a given price, and shows the plan's
# new end time. Credentials, region and endpoints come from the usual AWS environment variables.
terraform {
  required_providers {
    sagemaker = {
      source = "tfsagemaker/sagemaker"
    }
  }
}

provider "sagemaker" {}

variable "training_plan_name" {
  description = "Name of the training plan to extend."
  type        = string
}

variable "extension_hours" {
  description = "Length of the extension: whole days up to 14 days, whole weeks up to 26 weeks."
  type        = number
  default     = 168
}

variable "max_upfront_fee" {
  description = "The most to pay for the extension, in the quote's currency."
  type        = string
  default     = "25000"
}

data "sagemaker_training_plan" "this" {
  name = var.training_plan_name
}

# terraform plan shows the quote this buys: its fee, currency and dates.
resource "sagemaker_training_plan_extension" "this" {
  training_plan_arn        = data.sagemaker_training_plan.this.arn
  requested_duration_hours = var.extension_hours
  max_upfront_fee          = var.max_upfront_fee
}

output "new_plan_end_time" {
  description = "When the plan ends with the extension."
  value       = sagemaker_training_plan_extension.this.end_date
}

output "extension" {
  description = "The purchased extension."
  value = {
    offering_id    = sagemaker_training_plan_extension.this.training_plan_extension_offering_id
    status         = sagemaker_training_plan_extension.this.status
    payment_status = sagemaker_training_plan_extension.this.payment_status
    start_date     = sagemaker_training_plan_extension.this.start_date
    end_date       = sagemaker_training_plan_extension.this.end_date
    duration_hours = sagemaker_training_plan_extension.this.duration_hours
    upfront_fee    = "${sagemaker_training_plan_extension.this.upfront_fee} ${sagemaker_training_plan_extension.this.currency_code}"
  }
}
