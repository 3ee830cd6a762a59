/**
 * Spring Boot 4's health API ({@code org.springframework.boot.health.*}, module spring-boot-health)
 * over the starter's Boot-neutral health sources ({@code io.github.grpcresilience.autoconfigure.health}):
 * {@code grpcChannels}, {@code grpcStreams}, {@code grpcServer}, the readiness group membership of
 * {@code grpcChannels} and the actuator lookup behind the mapped grpc.health.v1 names. The verdicts
 * are the autoconfigure module's; this package only maps types, as its Spring Boot 3 counterparts do.
 */
package io.github.grpcresilience.autoconfigure.boot4health;
