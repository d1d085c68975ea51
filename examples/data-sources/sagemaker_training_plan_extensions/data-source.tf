data "sagemaker_training_plan_extensions" "llm" {
  training_plan_arn = "arn:aws:sagemaker:us-east-2:123456789012:training-plan/llm-pretraining"
}

output "spent_on_extensions" {
  value = sum(concat([0], [for x in data.sagemaker_training_plan_extensions.llm.extensions : tonumber(x.upfront_fee) if x.payment_status == "Completed"]))
}
