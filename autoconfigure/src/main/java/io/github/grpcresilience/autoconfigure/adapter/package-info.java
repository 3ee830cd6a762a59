/**
 * The seam between the starter and the gRPC integration it runs on (net.devh's
 * grpc-spring-boot-starter today): what an integration must provide ({@link
 * io.github.grpcresilience.autoconfigure.adapter.ConfiguredChannels}, calls to the {@link
 * io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener} beans) and what it must apply
 * ({@link io.github.grpcresilience.autoconfigure.adapter.ChannelBuilderCustomizer}, {@link
 * io.github.grpcresilience.autoconfigure.adapter.ServerBuilderCustomizer}, {@link
 * io.github.grpcresilience.autoconfigure.adapter.ManagedChannelAssembler}). Pools, service config,
 * health, metrics and the endpoint depend on these types only, so that a second integration is one
 * more adapter package, not a change to them.
 */
package io.github.grpcresilience.autoconfigure.adapter;
