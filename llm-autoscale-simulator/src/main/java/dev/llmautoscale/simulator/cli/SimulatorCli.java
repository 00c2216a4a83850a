package dev.llmautoscale.simulator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code llm-autoscale-simulator} command line: {@code java -jar llm-autoscale-simulator.jar <command> ...}.
 *
 * <p>Exit codes: 0 success, 1 the command ran and found something (for example lint findings), 2 bad input
 * (unreadable file, unknown field value), with a message on stderr that names the file and the field.
 */
@Command(name = "llm-autoscale-simulator", mixinStandardHelpOptions = true,
        versionProvider = SimulatorCli.Version.class,
        description = "Simulates what a HorizontalPodAutoscaler or KEDA ScaledObject does to an LLM inference fleet.",
        subcommands = {CommandLine.HelpCommand.class})
public final class SimulatorCli {

    /** Exit code for bad input. */
    public static final int EXIT_BAD_INPUT = 2;

    private SimulatorCli() {
    }

    /**
     * Builds the command line with every subcommand registered.
     *
     * @return the picocli command line, ready to {@code execute}
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SimulatorCli());
        // Subcommands are registered here, one line each.
        cli.addSubcommand(new HpaDecideCommand());
        cli.addSubcommand(new HpaReplicasCommand());
        cli.addSubcommand(new KedaDecideCommand());
        cli.addSubcommand(new RunCommand());
        cli.addSubcommand(new CompareCommand());
        cli.addSubcommand(new LintCommand());
        cli.addSubcommand(new RecommendCommand());
        cli.addSubcommand(new CalibrateCommand());
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("error: " + ex.getMessage());
            return EXIT_BAD_INPUT;
        });
        return cli;
    }

    /**
     * Entry point.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Reports the module version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SimulatorCli.class.getPackage().getImplementationVersion();
            return new String[] {"llm-autoscale-simulator " + (v == null ? "(development build)" : v)};
        }
    }
}
