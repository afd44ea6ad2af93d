package io.crmlake.jobs;

import java.util.concurrent.Callable;

import io.crmlake.privacy.CustomerErasure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crmlake forget}: erasure of one customer from every table, recorded in ops.erasures. */
@Command(name = "forget", mixinStandardHelpOptions = true,
        header = "Erase one customer from every table; the next publish deletes the customer downstream.",
        description = {"Erase one customer: Delta DELETE of the customer's rows in every bronze, silver and gold table",
                "(their orders' lines and quarantined rows included), recorded in ops.erasures. The next publish deletes",
                "the customer downstream: the row of the JDBC target, and the id listed in the file export's",
                "customer_scores_deleted.csv. Older file versions keep the rows until VACUUM (docs/operations.md, \"Personal data\")."})
final class ForgetCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec; // usage errors name the command (and its --date) as parsed

    @Option(names = "--customer-id", required = true, paramLabel = "ID", description = "The customer's id (customer_id).")
    String customerId;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "",
            description = "Why, e.g. a request reference; recorded in ops.erasures.")
    String reason;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Override
    public Integer call() {
        if (customerId.isBlank()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--customer-id is empty");
        }
        JobEnvironment env = JobEnvironment.open(config.load(), "crmlake-forget");
        JobRunner runner = new JobRunner(env);
        runner.run("forget", null, (runId, progress) -> {
            var o = new CustomerErasure(env.lakehouse).erase(customerId, reason, runId, progress);
            progress.accept(String.format("customer %s: %,d rows deleted from %d of the %d tables that can hold "
                    + "customers (ops.erasures)", customerId.strip(), o.rows(), o.tablesWithRows(), o.tables().size()));
            return new JobRunner.Counts(o.rows(), o.rows(), 0, o.rows() + " rows in " + o.tablesWithRows() + " tables");
        });
        return 0;
    }
}
