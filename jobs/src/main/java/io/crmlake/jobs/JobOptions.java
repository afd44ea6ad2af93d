package io.crmlake.jobs;

import java.time.LocalDate;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the batch jobs: the batch date plus the configuration options. */
public class JobOptions {
    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD",
            description = "Batch (business) date to process, in UTC.")
    LocalDate date;

    @Mixin
    ConfigOptions config = new ConfigOptions();
}
