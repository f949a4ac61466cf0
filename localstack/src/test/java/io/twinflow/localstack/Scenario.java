package io.twinflow.localstack;

/**
 * The integration scenarios, the one list every environment runs: {@link EnvironmentScenarios} turns
 * each constant into a test of each environment's IT class, and {@link ScenarioCoverageTest} checks
 * that no IT class runs anything else. A scenario added here therefore runs everywhere, and one cannot
 * be written for a single environment. Each scenario reaches the stream through a {@link SourceUnderTest}, so
 * the list runs over Kinesis and over Kafka alike.
 */
enum Scenario {

    /** The init step creates exactly what the spec names, and running it again changes nothing. */
    RESOURCES_MATCH_THE_SPEC("resources", Scenarios::resourcesMatchTheSpec),

    /** A fleet with producer duplicates, bad and late records: windows, states and quarantine add up exactly. */
    FLEET_IS_ACCOUNTED_FOR_EXACTLY("fleet", Scenarios::fleetIsAccountedForExactly),

    /** The whole stream delivered again from the oldest record leaves every table and object as it was. */
    REDELIVERY_CHANGES_NOTHING("redelivery", Scenarios::redeliveryChangesNothing),

    /** Every record of the bad-input corpus that fits in a stream record is quarantined with its reason and bytes. */
    BAD_INPUT_CORPUS_IS_QUARANTINED_WITH_REASONS("corpus", Scenarios::badInputCorpusIsQuarantinedWithReasons),

    /** The raw archive holds the exact bytes of every record the stream accepted, once each. */
    ARCHIVE_HOLDS_EVERY_ACCEPTED_RECORD("archive", Scenarios::archiveHoldsEveryAcceptedRecord);

    @FunctionalInterface
    interface Body {
        void run(Environment environment, String slug) throws Exception;
    }

    private final String slug;
    private final Body body;

    Scenario(String slug, Body body) {
        this.slug = slug;
        this.body = body;
    }

    void run(Environment environment) throws Exception {
        body.run(environment, slug);
    }
}
