data "sagemaker_training_plan" "llm" {
  name = "llm-pretraining"
}

data "sagemaker_training_plan_extension_offerings" "week" {
  training_plan_arn = data.sagemaker_training_plan.llm.arn
  duration_hours    = 168
}

resource "sagemaker_training_plan_extension" "week" {
  training_plan_arn                   = data.sagemaker_training_plan.llm.arn
  training_plan_extension_offering_id = data.sagemaker_training_plan_extension_offerings.week.offerings[0].training_plan_extension_offering_id

  lifecycle {
    # Every search returns fresh quotes: keep the extension that was bought.
    ignore_changes = [training_plan_extension_offering_id]
  }

  timeouts {
    create = "45m"
  }
}
