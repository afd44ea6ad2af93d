package io.crmlake.features;

/** Parameters of the feature stage: the length of the recent window behind the *_90d features. */
public record FeatureParams(int recentDays) {
    public static FeatureParams defaults() {
        return new FeatureParams(90);
    }
}
