#!/bin/sh
# Serves the SavedModels of a tfgan_zoo export with TF Serving.
#   export/serving/serve.sh EXPORT_DIR [MODEL_NAME]
# Any export: latent generators and image-to-image models (input `image`) alike.
# With the official Docker image when docker is installed, else with a local
# tensorflow_model_server binary. REST on 8501, gRPC on 8500.
set -eu
EXPORT_DIR=$(cd "$1" && pwd)
MODEL_NAME=${2:-dcgan_shapes}
if command -v docker >/dev/null 2>&1; then
  exec docker run --rm -p 8500:8500 -p 8501:8501 \
    -v "$EXPORT_DIR/saved_model/$MODEL_NAME:/models/$MODEL_NAME:ro" \
    -e MODEL_NAME="$MODEL_NAME" tensorflow/serving:latest
fi
exec tensorflow_model_server --port=8500 --rest_api_port=8501 \
  --model_name="$MODEL_NAME" --model_base_path="$EXPORT_DIR/saved_model/$MODEL_NAME"
