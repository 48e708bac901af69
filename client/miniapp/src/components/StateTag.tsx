/**
 * The state of an application as a coloured tag, with the tone the server (and the admin) uses.
 */
import { Text } from "@tarojs/components";
import "./StateTag.scss";

/** Props of StateTag. */
export interface StateTagProps {
  label: string;
  tone: "default" | "processing" | "warning" | "success" | "error";
}

/** One coloured state label. */
export function StateTag({ label, tone }: StateTagProps) {
  return <Text className={`state-tag state-tag-${tone}`}>{label}</Text>;
}
