# syntax=docker/dockerfile:1
# The payment gateway's image: the shaded jar that `mvn -B -f java/pom.xml verify` builds and CI tests
# (java/gateway/target/payment-gateway.jar), on a Java 17 runtime (the build's --release).
#   mvn -B -f java/pom.xml package -DskipTests
#   docker build -f deploy/docker/gateway.Dockerfile -t checkout/payment-gateway:0.1.0 .
# Not built in CI: base images cannot be pulled on the CI machine (docs/DEPLOY.md).
ARG JAVA_RUNTIME_IMAGE=eclipse-temurin:17-jre
FROM ${JAVA_RUNTIME_IMAGE}

WORKDIR /app
COPY java/gateway/target/payment-gateway.jar /app/payment-gateway.jar

# A numeric user, so Kubernetes' runAsNonRoot can check it (deploy/base/gateway.yaml runs as 10001 too).
USER 10001:10001
EXPOSE 8080
# The heap follows the pod's memory limit; an OutOfMemoryError ends the process so Kubernetes restarts it.
# Options on the command line, not JAVA_TOOL_OPTIONS: that variable prints a line that is not JSON to stderr.
# The manifests pass the rest: --host 0.0.0.0 --port 8080 --provider-url … --config /etc/checkout/timeout.json.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/payment-gateway.jar"]
