package io.github.grpcresilience.autoconfigure.springgrpc;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.grpc.client.CompositeGrpcChannelFactory;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Wraps every channel factory Spring gRPC defines (Netty, shaded Netty, in-process, or the
 * application's own) in a {@link RegisteringGrpcChannelFactory}, whichever one Boot's composite
 * factory or the application picks for a target. The composite is left alone: it only delegates
 * to the factories it was given, which are the wrapped ones.
 */
final class ChannelFactoryRegistration implements BeanPostProcessor {

    private final ChannelRegistration registration;

    ChannelFactoryRegistration(ChannelRegistration registration) {
        this.registration = registration;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof GrpcChannelFactory factory && !(bean instanceof CompositeGrpcChannelFactory)
                && !(bean instanceof RegisteringGrpcChannelFactory)) {
            return new RegisteringGrpcChannelFactory(factory, registration);
        }
        return bean;
    }
}
