variable "warn_days_before_end" {
  description = "How many days before its end a training plan starts to warn on every plan."
  type        = number
  default     = 14
}

data "sagemaker_training_plan" "llm" {
  name = "llm-pretraining"
}

# Warns on every plan while the training plan ends within warn_days_before_end days. It only
# warns, and buys nothing: to extend the plan, declare a sagemaker_training_plan_extension.
check "training_plan_not_ending_soon" {
  assert {
    condition     = timecmp(data.sagemaker_training_plan.llm.end_time, timeadd(plantimestamp(), "${var.warn_days_before_end * 24}h")) > 0
    error_message = "Training plan ${data.sagemaker_training_plan.llm.name} ends at ${data.sagemaker_training_plan.llm.end_time}, within ${var.warn_days_before_end} days: its capacity stops then. Extend it with a sagemaker_training_plan_extension (requested_duration_hours), whose plan shows the price."
  }
}
