import { describe, expect, it } from "vitest";
import { readClientMessage, STOP_MARKER, simulatorMessages } from "./simulator.js";

describe("simulatorMessages", () => {
  it("mirrors roles, opens with a user message and puts the profile after the instruction", () => {
    const messages = simulatorMessages("Play a client.", "You are Sam, 34.", [
      { role: "client", content: "Hi." },
      { role: "therapist", content: "Hello, what brings you here?" },
    ]);
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(messages[0]?.content).toMatch(
      /^Play a client\.\n\nThe person you play:\nYou are Sam, 34\./,
    );
    expect(messages[0]?.content).toContain(STOP_MARKER);
    expect(messages[2]?.content).toBe("Hi.");
    expect(messages[3]?.content).toBe("Hello, what brings you here?");
  });
});

describe("readClientMessage", () => {
  it("stops on the marker wherever it is, in any case", () => {
    expect(readClientMessage(STOP_MARKER)).toEqual({ status: "stop" });
    expect(readClientMessage("Thanks, bye. [end conversation]")).toEqual({ status: "stop" });
  });

  it("drops a leading speaker label and nothing else", () => {
    expect(readClientMessage("Client: I can't sleep.")).toEqual({
      status: "message",
      text: "I can't sleep.",
    });
    expect(readClientMessage("**Client:** fine")).toEqual({ status: "message", text: "fine" });
    expect(readClientMessage("My client: the boss")).toEqual({
      status: "message",
      text: "My client: the boss",
    });
  });

  it("calls an empty reply blank", () => {
    expect(readClientMessage("  \n ")).toEqual({ status: "blank" });
    expect(readClientMessage("Client:")).toEqual({ status: "blank" });
  });
});
