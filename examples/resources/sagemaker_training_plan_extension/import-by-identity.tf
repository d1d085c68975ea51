# Terraform 1.12 and later, OpenTofu 1.12 and later.
import {
  to = sagemaker_training_plan_extension.january
  identity = {
    training_plan_arn                   = "arn:aws:sagemaker:us-east-2:123456789012:training-plan/llm-pretraining"
    training_plan_extension_offering_id = "tpeo-fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
  }
}
