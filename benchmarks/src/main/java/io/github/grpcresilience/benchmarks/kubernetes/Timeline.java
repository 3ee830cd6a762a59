package io.github.grpcresilience.benchmarks.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * When each scenario of one run began and ended (epoch ms) and which pods it touched; the
 * Service's DNS history says when each address was listed.
 */
record Timeline(Window scaleIn, Window scaleOut, List<String> addedPods, Window secondScaleIn, Window rolling,
        Map<String, Long> sigterms, NodeLoss nodeLoss, List<ServiceDns.Listing> dns) {

    record Window(long from, long to) {
    }

    /** One pod's address black-holed at {@code window.from}, out of DNS at {@code unpublished}, killed at {@code killed}. */
    record NodeLoss(String pod, Window window, long unpublished, long killed) {
    }

    long published(String pod) {
        return dns.stream().filter(listing -> listing.address().equals(pod)).mapToLong(ServiceDns.Listing::published)
                .min().orElseThrow();
    }

    ServiceDns.Listing listing(String pod) {
        return dns.stream().filter(listing -> listing.address().equals(pod)).findFirst().orElseThrow();
    }

    List<String> listedThroughout(long fromMillis, long toMillis) {
        return dns.stream().filter(listing -> listing.listedThroughout(fromMillis, toMillis))
                .map(ServiceDns.Listing::address).toList();
    }

    boolean listedAt(String pod, long millis) {
        return dns.stream().anyMatch(listing -> listing.address().equals(pod) && listing.listedAt(millis));
    }
}
