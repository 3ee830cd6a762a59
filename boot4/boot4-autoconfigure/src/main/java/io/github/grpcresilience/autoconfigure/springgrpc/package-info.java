/**
 * The adapter for Spring Boot 4.1's own gRPC support ({@code spring-boot-grpc-client},
 * {@code spring-boot-grpc-server}, on spring-grpc-core): what {@code autoconfigure.adapter} asks
 * of an integration, the only package that imports Spring gRPC.
 *
 * <p>Client side, as decided here:
 * <ul>
 *   <li>Boot's explicit {@code spring.grpc.client.channel.<name>.*} and {@code spring.grpc.server.*}
 *       values win over the starter's defaults ({@link
 *       io.github.grpcresilience.autoconfigure.springgrpc.SpringGrpcProperties}); the starter's
 *       explicit values win over Boot's, with one warning naming both.
 *   <li>The starter's customizers run as Boot channel builder customizers, after Boot's properties
 *       and before the application's customizers.
 *   <li>Service config: Boot sets the map it builds from its properties and its customizers last;
 *       the starter contributes its own there, per top-level key, where Boot's properties set
 *       nothing; both explicit for one key of one channel fails the startup naming both properties.
 *   <li>One channel (or pool) per channel name, owned by the context and shared by every stub of
 *       the name, is registered for health, metrics and the {@code grpc} endpoint; a channel
 *       requested with options of its own is the caller's, neither registered nor pooled.
 * </ul>
 */
package io.github.grpcresilience.autoconfigure.springgrpc;
