# An extension is identified by its training plan's ARN and the offering it was bought with.
terraform import sagemaker_training_plan_extension.december \
  "arn:aws:sagemaker:us-east-2:123456789012:training-plan/llm-pretraining,tpeo-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
