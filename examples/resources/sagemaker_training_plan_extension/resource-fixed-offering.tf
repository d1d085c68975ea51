# An offering ID copied from a search (aws sagemaker search-training-plan-offerings) or from
# the offerings data source's output.
resource "sagemaker_training_plan_extension" "december" {
  training_plan_arn                   = "arn:aws:sagemaker:us-east-2:123456789012:training-plan/llm-pretraining"
  training_plan_extension_offering_id = "tpeo-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
}
