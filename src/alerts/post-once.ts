import type { PostingIntent } from "./sent-record.ts";
import type { PostedMessage, PostMessageRequest, SlackAlertSender } from "./slack-alert-sender.ts";
import type { SlackChannelDirectory } from "./slack-channel-directory.ts";

/** Reads and writes the posting intent of one alert or digest. */
export interface IntentAccess {
  get(): Promise<PostingIntent | null>;
  put(intent: PostingIntent): Promise<void>;
}

/** Inputs of `postOnce`. */
export interface PostOnceRequest {
  sender: Pick<SlackAlertSender, "postMessage" | "findAlertMessage">;
  directory: Pick<SlackChannelDirectory, "resolveId" | "remember">;
  intents: IntentAccess;
  /** The message to post, marked with its alert id. */
  message: PostMessageRequest & { alertId: string };
  /** For a digest: the alert ids it stands for, kept in the intent. */
  alertIds?: string[];
}

/** Result of `postOnce`. */
export interface PostOnceResult extends PostedMessage {
  /** True when an earlier try's message was found and nothing was posted now. */
  found: boolean;
  /** Thread the message is a reply in, if any. */
  threadTs: string | undefined;
  /** The intent of the earlier try, when there was one. */
  previous: PostingIntent | null;
}

/**
 * Posts a message unless an earlier try already did. A posting intent is stored before every
 * post. Finding one means that an earlier try may have reached Slack without recording the
 * result (a timeout, a 500 after acceptance, a killed process). The channel or thread is then
 * searched for the message's alert id first. The search needs the channel's id and the bot's
 * history scopes, and it reads only the newest messages. When it cannot find a message that
 * Slack did accept, the message is posted a second time (docs/alerts.md, "The window that
 * remains").
 */
export async function postOnce(request: PostOnceRequest): Promise<PostOnceResult> {
  const { sender, directory, intents, message } = request;
  const previous = await intents.get();
  if (previous !== null) {
    const found = await findEarlierPost(request, previous);
    if (found !== undefined) return { ...found, found: true, previous };
  }

  await intents.put({
    channel: message.channel,
    threadTs: message.threadTs,
    alertIds: request.alertIds,
    startedAt: new Date().toISOString(),
  });
  const posted = await sender.postMessage(message);
  await directory.remember(message.channel, posted.channel);
  return { ...posted, found: false, threadTs: message.threadTs, previous };
}

async function findEarlierPost(
  request: PostOnceRequest,
  previous: PostingIntent,
): Promise<(PostedMessage & { threadTs: string | undefined }) | undefined> {
  const channelId = await request.directory.resolveId(previous.channel);
  if (channelId === undefined) return undefined;

  const ts = await request.sender.findAlertMessage({
    channelId,
    alertId: request.message.alertId,
    threadTs: previous.threadTs,
  });
  return ts === undefined ? undefined : { channel: channelId, ts, threadTs: previous.threadTs };
}
