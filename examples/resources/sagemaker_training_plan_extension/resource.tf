data "sagemaker_training_plan" "llm" {
  name = "llm-pretraining"
}

# Extends the plan by one week. The plan shows the quote it chose (fee, currency and dates);
# apply buys exactly that quote, or nothing if it changed in between.
resource "sagemaker_training_plan_extension" "week" {
  training_plan_arn        = data.sagemaker_training_plan.llm.arn
  requested_duration_hours = 168
  max_upfront_fee          = "25000"
}

output "new_plan_end" {
  value = sagemaker_training_plan_extension.week.end_date
}
