/**
 * The adapter for Spring Boot 4.1's own gRPC support ({@code spring-boot-grpc-client},
 * {@code spring-boot-grpc-server}, on spring-grpc-core): what {@code autoconfigure.adapter} asks
 * of an integration, the only package that imports Spring gRPC.
 */
package io.github.grpcresilience.autoconfigure.springgrpc;
