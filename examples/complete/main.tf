# Extends a training plan by the cheapest offering of the wanted length, and shows the plan's
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

data "sagemaker_training_plan" "this" {
  name = var.training_plan_name
}

data "sagemaker_training_plan_extension_offerings" "this" {
  training_plan_arn = data.sagemaker_training_plan.this.arn
  duration_hours    = var.extension_hours
}

locals {
  cheapest_offering = try(
    [for o in data.sagemaker_training_plan_extension_offerings.this.offerings : o
    if tonumber(o.upfront_fee) == min([for p in data.sagemaker_training_plan_extension_offerings.this.offerings : tonumber(p.upfront_fee)]...)][0],
    null
  )
}

resource "sagemaker_training_plan_extension" "this" {
  training_plan_arn                   = data.sagemaker_training_plan.this.arn
  training_plan_extension_offering_id = local.cheapest_offering.training_plan_extension_offering_id

  lifecycle {
    # Every search returns fresh quotes: keep the extension that was bought.
    ignore_changes = [training_plan_extension_offering_id]

    precondition {
      condition     = local.cheapest_offering != null
      error_message = "AWS offers no extension of ${var.extension_hours} hours for this training plan right now."
    }
  }
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
