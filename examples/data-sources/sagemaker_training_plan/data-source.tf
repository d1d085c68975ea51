data "sagemaker_training_plan" "llm" {
  name = "llm-pretraining"
}

output "plan_ends" {
  value = data.sagemaker_training_plan.llm.end_time
}
