/**
 * Entry: antd in Chinese, the session from /auth/me, the login page or the layout.
 */
// First: it configures zod before any schema is built.
import "@govinfo/shared/schemas/browser";
import { authApi } from "@govinfo/shared/api/routes/auth";
import type { StaffMe } from "@govinfo/shared/schemas/auth";
import { App as AntApp, ConfigProvider, Spin } from "antd";
import zhCN from "antd/locale/zh_CN";
import { lazy, StrictMode, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { accessOf } from "./access.ts";
import { api, setCsrfToken } from "./api.ts";
import { navigate, useHashLocation } from "./hooks.ts";
import { LoginPage } from "./pages/login/index.tsx";
import { SessionContext } from "./session.tsx";

const AGENCY_KEY = "govinfo.admin.agencyId";
// Set while this browser holds a staff session: without it the page shows the login form at once
// instead of asking /auth/me, whose 401 would be the console error on every first visit.
const SIGNED_IN_KEY = "govinfo.admin.signedIn";

// The login page is the first screen on a slow link: the layout (menu, every page's routes) and the
// password dialog load only once someone has logged in.
const AppLayout = lazy(() => import("./components/AppLayout.tsx").then((m) => ({ default: m.AppLayout })));
const PasswordChangeDialog = lazy(() =>
  import("./components/PasswordChangeDialog.tsx").then((m) => ({ default: m.PasswordChangeDialog })),
);
const spinner = (
  <div style={{ padding: 120, textAlign: "center" }}>
    <Spin />
  </div>
);

function Root() {
  const [me, setMe] = useState<StaffMe | null | undefined>(undefined);
  const [agencyId, setAgency] = useState<string>(() => localStorage.getItem(AGENCY_KEY) ?? "");
  const location = useHashLocation();

  useEffect(() => {
    if (!localStorage.getItem(SIGNED_IN_KEY)) {
      setMe(null);
      return;
    }
    api.call(authApi.me).then(
      (answer) => setMe(answer && answer.kind === "staff" ? answer : null),
      () => setMe(null),
    );
  }, []);
  useEffect(() => {
    if (me) setCsrfToken(me.csrfToken);
    if (me) localStorage.setItem(SIGNED_IN_KEY, "1");
    else if (me === null) localStorage.removeItem(SIGNED_IN_KEY);
  }, [me]);

  const setAgencyId = useCallback((id: string) => {
    localStorage.setItem(AGENCY_KEY, id);
    setAgency(id);
  }, []);
  const logout = useCallback(() => {
    api.call(authApi.logout).finally(() => {
      setMe(null);
      navigate("/login");
    });
  }, []);
  const session = useMemo(() => {
    if (!me) return null;
    const access = accessOf(me, agencyId);
    return { me, access, agencyId: access.current?.agencyId ?? "", setAgencyId, logout };
  }, [me, agencyId, setAgencyId, logout]);

  if (me === undefined) return spinner;
  if (!session || location.path === "/login")
    return (
      <LoginPage
        onLogin={(user) => {
          setCsrfToken(user.csrfToken);
          setMe(user);
          navigate("/");
        }}
      />
    );
  if (session.me.mustChangePassword)
    return (
      <Suspense fallback={spinner}>
        <PasswordChangeDialog
          onChanged={() => setMe({ ...session.me, mustChangePassword: false })}
          onLogout={logout}
        />
      </Suspense>
    );
  return (
    <SessionContext.Provider value={session}>
      <Suspense fallback={spinner}>
        <AppLayout />
      </Suspense>
    </SessionContext.Provider>
  );
}

const container = document.getElementById("root");
if (container)
  createRoot(container).render(
    <StrictMode>
      <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: "#b71c1c", borderRadius: 4 } }}>
        <AntApp>
          <Root />
        </AntApp>
      </ConfigProvider>
    </StrictMode>,
  );
