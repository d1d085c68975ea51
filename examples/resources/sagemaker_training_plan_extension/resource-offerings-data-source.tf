data "sagemaker_training_plan" "vision" {
  name = "vision-finetuning"
}

data "sagemaker_training_plan_extension_offerings" "two_days" {
  training_plan_arn = data.sagemaker_training_plan.vision.arn
  duration_hours    = 48
}

resource "sagemaker_training_plan_extension" "two_days" {
  training_plan_arn = data.sagemaker_training_plan.vision.arn
  # try(): once the plan can no longer be extended, the search finds no offerings, and the
  # bought extension needs none.
  training_plan_extension_offering_id = try(data.sagemaker_training_plan_extension_offerings.two_days.offerings[0].training_plan_extension_offering_id, null)

  lifecycle {
    # Every search returns fresh quotes: keep the extension that was bought.
    ignore_changes = [training_plan_extension_offering_id]
  }
}
