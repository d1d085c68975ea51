import {
  to = sagemaker_training_plan_extension.december
  id = "arn:aws:sagemaker:us-east-2:123456789012:training-plan/llm-pretraining,tpeo-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
}
