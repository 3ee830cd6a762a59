/**
 * The seam between the starter and the gRPC integration it runs on (net.devh's
 * grpc-spring-boot-starter today). An integration provides: an {@link
 * io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings} bean (what the user set
 * explicitly in the integration's own properties, so that it wins over the starter's defaults), a
 * {@link io.github.grpcresilience.autoconfigure.adapter.ConfiguredChannels} bean (how long startup
 * waits for a channel to connect; its presence switches the channel registry and the pool on),
 * calls to the {@link io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener} beans when its
 * server starts and stops, and the registration of every channel it builds in the channel
 * registry. It applies: every {@link io.github.grpcresilience.autoconfigure.adapter.ChannelBuilderCustomizer}
 * and {@link io.github.grpcresilience.autoconfigure.adapter.ServerBuilderCustomizer} bean to the
 * builders it creates, in order, and the {@link
 * io.github.grpcresilience.autoconfigure.adapter.ManagedChannelAssembler} (the pool) to each
 * network channel. Settings resolution and validation, pools, service config, health, metrics and
 * the endpoint depend on these types only, so that a second integration is one more adapter
 * package, not a change to them.
 */
package io.github.grpcresilience.autoconfigure.adapter;
