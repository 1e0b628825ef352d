import { startSlackMock } from "./slack-mock.ts";

/**
 * Runs the Slack mock on its own for demos and black-box tests: prints `{"url", "token"}` as
 * one JSON line on stdout and stops on SIGTERM or SIGINT. `SLACK_MOCK_PORT` picks the port
 * (default: any free one) and `SLACK_MOCK_TOKEN` the accepted bot token.
 */
const mock = await startSlackMock({
  port: Number(process.env.SLACK_MOCK_PORT ?? 0),
  token: process.env.SLACK_MOCK_TOKEN || undefined,
});
process.stdout.write(`${JSON.stringify({ url: mock.url, token: mock.token })}\n`);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
