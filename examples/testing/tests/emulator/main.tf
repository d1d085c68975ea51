# Sends one request to the emulator's control API, whose URL sagemaker-emulator puts in
# SAGEMAKER_EMULATOR_URL: a run block with this module changes the emulator between two runs.
terraform {
  # The test files configure the sagemaker provider for every run, this module's too, and
  # OpenTofu looks that provider up by the address this module gives it.
  required_providers {
    sagemaker = {
      source = "tfsagemaker/sagemaker"
    }
  }
}
variable "request" {
  description = "The method and path of the request, such as \"POST /_emulator/reset\"."
  type        = string
}

variable "body" {
  description = "The request's JSON body."
  type        = any
  default     = {}
}

resource "terraform_data" "request" {
  input = var.request

  provisioner "local-exec" {
    command = "curl --fail-with-body --silent --show-error -X ${split(" ", var.request)[0]} -H 'Content-Type: application/json' --data '${jsonencode(var.body)}' \"$SAGEMAKER_EMULATOR_URL${split(" ", var.request)[1]}\""
  }
}
