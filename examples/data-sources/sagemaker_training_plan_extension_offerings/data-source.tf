data "sagemaker_training_plan_extension_offerings" "two_weeks" {
  training_plan_arn = "arn:aws:sagemaker:us-east-2:123456789012:training-plan/llm-pretraining"
  duration_hours    = 336
}

output "two_week_quotes" {
  value = [for o in data.sagemaker_training_plan_extension_offerings.two_weeks.offerings : "${o.start_date} to ${o.end_date}: ${o.upfront_fee} ${o.currency_code}"]
}
