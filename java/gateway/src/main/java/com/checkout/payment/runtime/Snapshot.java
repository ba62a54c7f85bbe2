package com.checkout.payment.runtime;

import com.checkout.config.LoadedConfig;
import java.time.Instant;

/**
 * The config in force, swapped as one by a reload. The provider's call loops are not part of it:
 * the {@link com.checkout.resilience.Upstream} of {@link Settings#upstream()} publishes its own,
 * and a call takes its loop once and finishes on it, whatever a reload does meanwhile.
 *
 * @param config the loaded config
 * @param loadedAt when it was loaded
 */
public record Snapshot(LoadedConfig config, Instant loadedAt) {
}
