/**
 * Health verdicts free of Spring Boot's health API, which moved between Boot 3
 * ({@code org.springframework.boot.actuate.health}) and Boot 4 ({@code org.springframework.boot.health.*}):
 * channels, streams and the server report a {@link io.github.grpcresilience.autoconfigure.health.HealthReport}
 * through a {@link io.github.grpcresilience.autoconfigure.health.HealthSource} or
 * {@link io.github.grpcresilience.autoconfigure.health.NamedHealthSources}, and each Boot version's glue
 * only maps those to its own types: {@link io.github.grpcresilience.autoconfigure.health.Boot3HealthContributors}
 * here, {@code io.github.grpcresilience.autoconfigure.boot4health} in the Spring Boot 4 module.
 */
package io.github.grpcresilience.autoconfigure.health;
