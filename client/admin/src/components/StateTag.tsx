/**
 * The lifecycle state as a coloured tag (labels and tones from the shared state machine).
 */
import { type State, stateLabels, stateTones } from "@govinfo/shared/lifecycle/machine";
import { Tag } from "antd";

const colours = { default: "default", processing: "blue", warning: "orange", success: "green", error: "red" };

/** A state tag. */
export function StateTag({ state }: { state: State }) {
  return <Tag color={colours[stateTones[state]]}>{stateLabels[state]}</Tag>;
}
