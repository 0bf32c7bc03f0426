<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../views/case_text.py" line="34"/>
        <source>系统</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="48"/>
        <source>协办：</source>
        <translation>Co-handling: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="56"/>
        <source>仲裁：维持原部门</source>
        <translation>Arbitration: department kept</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="56"/>
        <source>仲裁：改派</source>
        <translation>Arbitration: reassigned</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="58"/>
        <source>延期已批准</source>
        <translation>Extension approved</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="58"/>
        <source>延期未批准</source>
        <translation>Extension refused</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="60"/>
        <source>超期自动督办</source>
        <translation>Automatic supervision (overdue)</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="60"/>
        <source>督办</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="62"/>
        <source>签收（超时）</source>
        <translation>Signed for (late)</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="64"/>
        <source>上报</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="64"/>
        <source>立案</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="64"/>
        <source>不予立案</source>
        <translation>Registration declined</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="65"/>
        <location filename="../../views/dispatch.py" line="199"/>
        <location filename="../../views/dispatch_dialog.py" line="189"/>
        <source>派遣</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="65"/>
        <source>撤回派遣</source>
        <translation>Dispatch recalled</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="65"/>
        <source>签收</source>
        <translation>Signed for</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="66"/>
        <source>退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="66"/>
        <source>申请延期</source>
        <translation>Extension requested</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="66"/>
        <source>办理反馈</source>
        <translation>Feedback</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="67"/>
        <source>核查通过</source>
        <translation>Verified</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="67"/>
        <source>核查未通过，返工</source>
        <translation>Verification failed: rework</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="67"/>
        <source>结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="68"/>
        <source>评价</source>
        <translation>Evaluated</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="68"/>
        <source>签收超时</source>
        <translation>Sign-for overdue</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="68"/>
        <source>办理超期</source>
        <translation>Handling overdue</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="69"/>
        <source>升级至领导</source>
        <translation>Escalated to leaders</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="90"/>
        <source>外部编号：</source>
        <translation>External no.: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="92"/>
        <source>责任部门：</source>
        <translation>Department: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="97"/>
        <source>撤回自：</source>
        <translation>Recalled from: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="99"/>
        <source>退回部门：</source>
        <translation>Returned by: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="101"/>
        <source>理由：</source>
        <translation>Reason: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="103"/>
        <source>{days} 个工作日</source>
        <translation>{days} working days</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="105"/>
        <source>结果：</source>
        <translation>Result: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="107"/>
        <source>佐证 {n} 份</source>
        <translation>{n} evidence file(s)</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="109"/>
        <source>第 {n} 次返工</source>
        <translation>Rework #{n}</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="111"/>
        <source>按时办结</source>
        <translation>Closed on time</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="111"/>
        <source>超时办结</source>
        <translation>Closed late</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="113"/>
        <source>满意度 {n}/5</source>
        <translation>Satisfaction {n}/5</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="114"/>
        <source>签收时限：</source>
        <translation>Sign-for deadline: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="114"/>
        <source>办理时限：</source>
        <translation>Handling deadline: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="115"/>
        <source>升级时限：</source>
        <translation>Escalation deadline: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="119"/>
        <source>说明：</source>
        <translation>Note: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="140"/>
        <source>{who} 于 {when} {what}</source>
        <translation>{who} at {when}: {what}</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="165"/>
        <source>，责任部门：</source>
        <translation>, department: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="172"/>
        <source>{action}未成功：</source>
        <translation>{action} failed: </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="175"/>
        <source>此案件已被 {who} 于 {when} 修改，现为「{now}」。下方已显示最新情况，请核对后重新决定。</source>
        <translation>{who} changed this case at {when}; it is now “{now}”. The latest is shown below: check it and decide again.</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="180"/>
        <source>此案件现为「{state}」，不能{action}。</source>
        <translation>This case is “{state}”, so {action} is not possible. </translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="184"/>
        <source>只有「{states}」的案件可以{action}。</source>
        <translation>{action} is only for cases that are “{states}”.</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="188"/>
        <source>当前账号无权执行此操作。</source>
        <translation>This account may not do this.</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="191"/>
        <source>所选{field}不存在，请重新选择。</source>
        <translation>The selected {field} does not exist; choose again.</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="192"/>
        <source>此案件不存在。</source>
        <translation>This case does not exist.</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="195"/>
        <source>输入有误（{field}）：{message}</source>
        <translation>Invalid input ({field}): {message}</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="198"/>
        <source>操作过于频繁，请稍候再试。</source>
        <translation>Too many requests; try again shortly.</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="200"/>
        <source>服务器没有应答，无法确认是否已执行，请稍后查看此案件的状态。</source>
        <translation>The server did not answer, so it is unknown whether this was done; check the case&apos;s state shortly.</translation>
    </message>
    <message>
        <location filename="../../views/case_text.py" line="202"/>
        <source>登录已失效，请重新登录。</source>
        <translation>Your login has expired; please log in again.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="140"/>
        <source>正在派遣「{code}」：请先完成或取消它，再拖放其他事件。</source>
        <translation>Dispatching {code}: finish or cancel it before dropping another case.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="146"/>
        <source>已添加协办部门：{name}</source>
        <translation>Co-department added: {name}</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="148"/>
        <source>{name} 已是牵头部门。</source>
        <translation>{name} is already the lead.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="152"/>
        <source>该事件的派遣正在提交，请稍候。</source>
        <translation>This case&apos;s dispatch is being submitted; please wait.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="156"/>
        <source>该事件已不在待办列表中（可能已办结或不予立案），未派遣。</source>
        <translation>This case is no longer on the to-do list (closed or declined?); not dispatched.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="162"/>
        <source>未知的部门，未派遣。</source>
        <translation>Unknown department; not dispatched.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="172"/>
        <source>该事件被 {name} 退回：{reason}</source>
        <translation>Returned by {name}: {reason}</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="172"/>
        <source>（未写原因）</source>
        <translation>(no reason given)</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="190"/>
        <source>说明最多{n}字，现在{m}字。</source>
        <translation>The note allows {n} characters at most; it has {m}.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="199"/>
        <location filename="../../views/dispatch_dialog.py" line="189"/>
        <source>改派</source>
        <translation>Reassign</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="209"/>
        <source>该事件已不在待办列表中，无法撤回。</source>
        <translation>This case is no longer on the to-do list; it cannot be recalled.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="228"/>
        <source>撤回</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="250"/>
        <source>已撤回「{code}」，回到已立案。</source>
        <translation>Recalled {code}: it is back to Registered.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="253"/>
        <source>已{action}「{code}」：{now}。</source>
        <translation>{action} done for {code}: {now}.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="271"/>
        <source>上方已是它现在的情况；请核对后再提交。</source>
        <translation>Above is how it stands now; check it, then submit.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="272"/>
        <source>上方已是它现在的情况，已不能在这里{action}。</source>
        <translation>Above is how it stands now; {action} is no longer possible here.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="287"/>
        <source>该事件已不在待办列表中（已办结或不予立案），无法继续。</source>
        <translation>This case is no longer on the to-do list (closed or declined); cannot continue.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="291"/>
        <source>该事件刚被 {who} 更新，上面已是最新内容，请确认后再提交。</source>
        <translation>{who} just updated this case; the latest is shown above. Check it, then submit.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="294"/>
        <source>该事件已被 {who} 改动，现为{now}，不能再操作。</source>
        <translation>{who} changed this case; it is now {now} and cannot be acted on.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="188"/>
        <source>改派事件</source>
        <translation>Reassign case</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="188"/>
        <source>派遣事件</source>
        <translation>Dispatch case</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="35"/>
        <source>{month}月{day}日 {time}</source>
        <translation>{month}/{day} {time}</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="47"/>
        <source>牵头：{name}</source>
        <translation>Lead: {name}</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="53"/>
        <source>「{state}」</source>
        <translation>“{state}”</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="55"/>
        <source>，牵头部门 {name}</source>
        <translation>, lead {name}</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="58"/>
        <source>，协办 {names}</source>
        <translation>, co-handled by {names}</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="64"/>
        <source>他人</source>
        <translation>someone else</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="66"/>
        <source>系统（超期检查）</source>
        <translation>the system (deadline check)</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="67"/>
        <source>{user}（本账号）</source>
        <translation>{user} (this account)</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="74"/>
        <source>「{code}」尚未立案（待受理），请先立案再派遣。</source>
        <translation>{code} is not registered yet (awaiting intake): register it before dispatching.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="76"/>
        <source>「{code}」已派遣给 {name}，待签收；如需改派，请先撤回。</source>
        <translation>{code} is dispatched to {name}, awaiting sign-for; recall it first to reassign.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="79"/>
        <source>「{code}」已由 {name} 办理（{state}），不能再派遣。</source>
        <translation>{code} is being handled by {name} ({state}); it cannot be dispatched again.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="81"/>
        <source>「{code}」当前为「{state}」，只有已立案的事件可以派遣。</source>
        <translation>{code} is “{state}”; only registered cases can be dispatched.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="87"/>
        <source>「{code}」已被 {name} 签收（{state}），不能撤回。</source>
        <translation>{name} has signed for {code} ({state}); it cannot be recalled.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="89"/>
        <source>「{code}」当前为「{state}」，只有待签收的事件可以撤回。</source>
        <translation>{code} is “{state}”; only cases awaiting sign-for can be recalled.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="103"/>
        <source>{action}未执行：该事件已被 {who} 于 {at} 改动，现为{now}。</source>
        <translation>{action} not done: {who} changed this case at {at}; it is now {now}.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="105"/>
        <source>（未知）</source>
        <translation>(unknown)</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="107"/>
        <source>{action}未执行：该事件当前为「{state}」，不能{action}。</source>
        <translation>{action} not done: the case is “{state}”, which does not allow {action}.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="112"/>
        <source>无权{action}：只有{roles}可以{action}。</source>
        <translation>No permission for {action}: only {roles} may do {action}.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="113"/>
        <source>无权{action}：{message}</source>
        <translation>No permission for {action}: {message}</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="117"/>
        <source>{action}未执行：所选{field}不存在，请刷新部门列表。</source>
        <translation>{action} not done: the selected {field} does not exist; refresh the department list.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="119"/>
        <source>{action}未执行：该事件在服务器上不存在。</source>
        <translation>{action} not done: the case does not exist on the server.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="122"/>
        <source>{action}未执行：{field}填写有误（{message}）。</source>
        <translation>{action} not done: {field} is invalid ({message}).</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="125"/>
        <source>{action}暂未完成：服务器暂时不可用（{message}）。可以直接重试，不会重复{action}。</source>
        <translation>{action} not done yet: the server is unavailable ({message}). Retrying is safe; {action} will not happen twice.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="128"/>
        <source>{action}未执行：这一操作已用不同的内容提交过，请关闭对话框重新拖放。</source>
        <translation>{action} not done: it was already submitted with different content; close the dialog and drag again.</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_text.py" line="129"/>
        <source>{action}失败：{message}</source>
        <translation>{action} failed: {message}</translation>
    </message>
    <message>
        <location filename="../../app/models/whistles.py" line="107"/>
        <source>已准时报到</source>
        <translation>Arrived on time</translation>
    </message>
    <message>
        <location filename="../../app/models/whistles.py" line="109"/>
        <source>迟到报到 · 晚{span}</source>
        <translation>Arrived late · {span} late</translation>
    </message>
    <message>
        <location filename="../../app/models/whistles.py" line="111"/>
        <source>未报到 · 已超时{span}</source>
        <translation>Not arrived · {span} overdue</translation>
    </message>
    <message>
        <location filename="../../app/models/whistles.py" line="113"/>
        <source>未报到 · 已结束</source>
        <translation>Not arrived · ended</translation>
    </message>
    <message>
        <location filename="../../app/models/whistles.py" line="114"/>
        <source>待报到 · 剩{span}</source>
        <translation>Awaiting arrival · {span} left</translation>
    </message>
    <message>
        <location filename="../../app/models/whistles.py" line="204"/>
        <source>{arrived}/{total} 已报到</source>
        <translation>{arrived}/{total} arrived</translation>
    </message>
    <message>
        <location filename="../../app/models/whistles.py" line="205"/>
        <source> · {late} 超时</source>
        <translation> · {late} late</translation>
    </message>
    <message>
        <location filename="../../views/case_follow.py" line="177"/>
        <source>读取案件详情</source>
        <translation>Loading case details</translation>
    </message>
    <message>
        <location filename="../../views/case_follow.py" line="203"/>
        <source>共 {n} 项变更，最近的：</source>
        <translation>{n} changes, latest: </translation>
    </message>
    <message>
        <location filename="../../views/case_follow.py" line="205"/>
        <source>{who} 于 {when} 修改了此案件</source>
        <translation>{who} changed this case at {when}</translation>
    </message>
    <message>
        <location filename="../../views/case_follow.py" line="208"/>
        <source>此案件刚在别处被更改：{what}。现为「{now}」，下方已显示最新情况。</source>
        <translation>This case was just changed elsewhere: {what}. It is now “{now}”; the latest is shown below.</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="44"/>
        <source>操作失败</source>
        <translation>Operation failed</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="50"/>
        <source>{noun}已被 {who} 于 {when} 修改，现为{what}。请核对后重新操作。</source>
        <translation>{noun} was changed by {who} at {when}; it is now {what}. Check it and try again.</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="54"/>
        <source>{noun}当前状态为「{state}」，不能执行此操作。</source>
        <translation>{noun} is “{state}”; this is not possible now.</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="58"/>
        <source>输入有误：{field}</source>
        <translation>Invalid input: {field}</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="58"/>
        <source>格式</source>
        <translation>format</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="61"/>
        <source>{what}不存在</source>
        <translation>{what} does not exist</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="63"/>
        <source>当前账号无权执行此操作</source>
        <translation>This account may not do this</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="64"/>
        <source>操作过于频繁，请稍后再试</source>
        <translation>Too many requests; try again shortly</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="65"/>
        <source>服务器暂时无法连接，请稍后重试</source>
        <translation>Server unreachable; try again shortly</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="66"/>
        <source>该操作已提交过</source>
        <translation>Already submitted</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="67"/>
        <source>登录已失效，请重新登录</source>
        <translation>Login expired; please log in again</translation>
    </message>
    <message>
        <location filename="../../views/remote_errors.py" line="69"/>
        <source>操作失败（{code}）</source>
        <translation>Operation failed ({code})</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="113"/>
        <source>{0}天{1}小时</source>
        <translation>{0}d {1}h</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="115"/>
        <source>{0}小时{1}分</source>
        <translation>{0}h {1}m</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="116"/>
        <source>{0}分</source>
        <translation>{0}m</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="127"/>
        <source>签收剩{0}</source>
        <translation>sign for in {0}</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="127"/>
        <source>签收超{0}</source>
        <translation>sign-for late {0}</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="131"/>
        <source>剩{0}</source>
        <translation>{0} left</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="131"/>
        <source>超期{0}</source>
        <translation>overdue {0}</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="189"/>
        <source>可能与 {code} {title} 重复（同一网格、同一类别，48小时内）</source>
        <translation>May duplicate {code} {title} (same grid and category, within 48 hours)</translation>
    </message>
    <message>
        <location filename="../../views/wall_assessment.py" line="36"/>
        <source>镇街排名（今日受理 · 在办 · 超期）</source>
        <translation>Townships (today&apos;s intake · open · overdue)</translation>
    </message>
    <message>
        <location filename="../../views/wall_assessment.py" line="37"/>
        <source>部门按期办结率排名（近30天）</source>
        <translation>Departments by on-time closure (30 days)</translation>
    </message>
    <message>
        <location filename="../../views/wall_assessment.py" line="38"/>
        <source>近30天受理与办结</source>
        <translation>Reported and closed, last 30 days</translation>
    </message>
    <message>
        <location filename="../../views/wall_assessment.py" line="39"/>
        <source>吹哨报到按时率（近30天）</source>
        <translation>Whistle arrivals on time (30 days)</translation>
    </message>
    <message>
        <location filename="../../views/wall_assessment.py" line="63"/>
        <source>应报到 {0} · 按时 {1} · 迟到 {2}</source>
        <translation>Due {0} · on time {1} · late {2}</translation>
    </message>
    <message>
        <location filename="../../views/wall_assessment.py" line="74"/>
        <source>{0} · 在办 {1} · 超期 {2}</source>
        <translation>{0} · open {1} · overdue {2}</translation>
    </message>
    <message>
        <location filename="../../views/wall_assessment.py" line="91"/>
        <source>{0:.1f}% · 办结 {1}</source>
        <translation>{0:.1f}% · closed {1}</translation>
    </message>
    <message>
        <location filename="../../views/wall_assessment.py" line="92"/>
        <source>暂无办结 · 在办 {0}</source>
        <translation>No closures · open {0}</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="85"/>
        <source>{0} 件办结</source>
        <translation>{0} closed</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="87"/>
        <source>按时 {1}/{0}</source>
        <translation>On time {1}/{0}</translation>
    </message>
    <message>
        <location filename="../../views/wall_queries.py" line="13"/>
        <source>{0} · 案件清单</source>
        <translation>{0} · cases</translation>
    </message>
    <message>
        <location filename="../../views/wall_queries.py" line="15"/>
        <source>渠道「{0}」今日上报</source>
        <translation>Reported today via {0}</translation>
    </message>
    <message>
        <location filename="../../views/wall_queries.py" line="16"/>
        <source>类别「{0}」今日上报</source>
        <translation>Reported today in {0}</translation>
    </message>
    <message>
        <location filename="../../views/wall_queries.py" line="17"/>
        <source>今日 {0}:00–{0}:59 上报</source>
        <translation>Reported today {0}:00–{0}:59</translation>
    </message>
    <message>
        <location filename="../../views/wall_queries.py" line="18"/>
        <source>{0} 今日上报</source>
        <translation>{0}: reported today</translation>
    </message>
    <message>
        <location filename="../../views/wall_queries.py" line="19"/>
        <source>{0} 承办的在办案件</source>
        <translation>Open cases led by {0}</translation>
    </message>
    <message>
        <location filename="../../views/wall_queries.py" line="20"/>
        <source>{0} 上报</source>
        <translation>Reported on {0}</translation>
    </message>
    <message>
        <location filename="../../views/wall_situation.py" line="39"/>
        <source>今日总览</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../views/wall_situation.py" line="40"/>
        <source>全县事件分布</source>
        <translation>Cases across the county</translation>
    </message>
    <message>
        <location filename="../../views/wall_situation.py" line="41"/>
        <source>今日分时受理（对比昨日）</source>
        <translation>Intake by hour (vs yesterday)</translation>
    </message>
    <message>
        <location filename="../../views/wall_situation.py" line="42"/>
        <source>八大渠道今日受理</source>
        <translation>Today by channel</translation>
    </message>
    <message>
        <location filename="../../views/wall_situation.py" line="43"/>
        <source>今日事件类别</source>
        <translation>Today&apos;s categories</translation>
    </message>
    <message>
        <location filename="../../views/wall_window.py" line="285"/>
        <source>态势</source>
        <translation>Situation</translation>
    </message>
    <message>
        <location filename="../../views/wall_window.py" line="285"/>
        <source>考核</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <location filename="../../views/camera_preview.py" line="68"/>
        <source>摄像头 {0}</source>
        <translation>Camera {0}</translation>
    </message>
    <message>
        <location filename="../../views/camera_preview.py" line="74"/>
        <source>实时视频 — {0}</source>
        <translation>Live video — {0}</translation>
    </message>
    <message>
        <location filename="../../views/camera_preview.py" line="85"/>
        <source>告警: {0}</source>
        <translation>Alarm: {0}</translation>
    </message>
    <message>
        <location filename="../../views/video_feed.py" line="21"/>
        <source>无法打开</source>
        <translation>Cannot open</translation>
    </message>
</context>
<context>
    <name>AlarmInboxPanel</name>
    <message>
        <location filename="../../views/alarm_inbox.py" line="36"/>
        <source>告警待处置</source>
        <translation>Alarms to handle</translation>
    </message>
    <message>
        <location filename="../../views/alarm_inbox.py" line="40"/>
        <source>排除理由（必填）</source>
        <translation>Reason for dismissing (required)</translation>
    </message>
    <message>
        <location filename="../../views/alarm_inbox.py" line="41"/>
        <source>排除</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <location filename="../../views/alarm_inbox.py" line="42"/>
        <source>转为事件</source>
        <translation>Turn into a case</translation>
    </message>
    <message>
        <location filename="../../views/alarm_inbox.py" line="100"/>
        <source>告警待处置 ({0})</source>
        <translation>Alarms to handle ({0})</translation>
    </message>
    <message>
        <location filename="../../views/alarm_inbox.py" line="118"/>
        <source>请填写排除理由。</source>
        <translation>Please give a reason.</translation>
    </message>
    <message>
        <location filename="../../views/alarm_inbox.py" line="137"/>
        <source>已转为事件 {0}</source>
        <translation>turned into case {0}</translation>
    </message>
    <message>
        <location filename="../../views/alarm_inbox.py" line="137"/>
        <source>已排除</source>
        <translation>dismissed</translation>
    </message>
    <message>
        <location filename="../../views/alarm_inbox.py" line="141"/>
        <source>处置未成功：{0}</source>
        <translation>Not handled: {0}</translation>
    </message>
</context>
<context>
    <name>AnnouncementBar</name>
    <message>
        <location filename="../../views/announcements.py" line="141"/>
        <source>最近提醒 ▾</source>
        <translation>Recent alerts ▾</translation>
    </message>
    <message>
        <location filename="../../views/announcements.py" line="171"/>
        <source>暂无提醒</source>
        <translation>No alerts</translation>
    </message>
    <message>
        <location filename="../../views/announcements.py" line="178"/>
        <source>提示音：开</source>
        <translation>Sound: on</translation>
    </message>
    <message>
        <location filename="../../views/announcements.py" line="178"/>
        <source>提示音：关</source>
        <translation>Sound: off</translation>
    </message>
</context>
<context>
    <name>Announcer</name>
    <message>
        <location filename="../../views/announcements.py" line="64"/>
        <source>提示音</source>
        <translation>Sound</translation>
    </message>
    <message>
        <location filename="../../views/announcements.py" line="67"/>
        <source>新紧急事件和超期提醒时发出提示音</source>
        <translation>Play a sound for new urgent cases and overdue alerts</translation>
    </message>
    <message>
        <location filename="../../views/announcements.py" line="97"/>
        <source>新{priority}事件</source>
        <translation>New {priority} case</translation>
    </message>
    <message>
        <location filename="../../views/announcements.py" line="113"/>
        <source>{n} 件：</source>
        <translation>{n} cases: </translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../../widgets/banner.py" line="47"/>
        <source>知道了</source>
        <translation>Acknowledge</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/banner.py" line="80"/>
        <source>共 %n 条未确认</source>
        <translation>
            <numerusform>%n unacknowledged</numerusform>
            <numerusform>%n unacknowledged</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CameraPicker</name>
    <message>
        <location filename="../../widgets/camera_tree.py" line="170"/>
        <source>搜索摄像头</source>
        <translation>Search cameras</translation>
    </message>
</context>
<context>
    <name>CameraTree</name>
    <message>
        <location filename="../../widgets/camera_tree.py" line="92"/>
        <location filename="../../widgets/camera_tree.py" line="96"/>
        <source>未分组</source>
        <translation>Ungrouped</translation>
    </message>
</context>
<context>
    <name>CaseActionDialog</name>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="114"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="147"/>
        <source>正在提交…</source>
        <translation>Submitting…</translation>
    </message>
</context>
<context>
    <name>CaseDetailPanel</name>
    <message>
        <location filename="../../views/case_detail.py" line="71"/>
        <source>在待受理列表中选择一个案件（↑↓ 选择，回车打开）</source>
        <translation>Select a case in the intake list (↑↓ to move, Enter to open)</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="112"/>
        <source>来源渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="112"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="113"/>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="113"/>
        <source>网格员</source>
        <translation>Grid worker</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="113"/>
        <source>坐标</source>
        <translation>Coordinates</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="114"/>
        <source>上报人</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="114"/>
        <source>上报时间</source>
        <translation>Reported at</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="115"/>
        <source>疑似重复</source>
        <translation>Possible duplicate</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="115"/>
        <source>责任部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="116"/>
        <source>时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="116"/>
        <source>理由 / 说明</source>
        <translation>Reason / note</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="117"/>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="117"/>
        <source>描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="137"/>
        <source>办理过程</source>
        <translation>Case history</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="190"/>
        <source>立案</source>
        <translation>Register</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="198"/>
        <source>不予立案必须填写理由，未提交。</source>
        <translation>Declining needs a reason; not submitted.</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="200"/>
        <source>不予立案</source>
        <translation>Decline</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="211"/>
        <source>正在提交{action}…</source>
        <translation>Submitting: {action}…</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="218"/>
        <source>已完成：{code} 现为「{state}」。</source>
        <translation>Done: {code} is now “{state}”.</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="228"/>
        <source>您填写的内容尚未提交，仍保留在下方。</source>
        <translation>What you entered was not submitted; it is kept below.</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="235"/>
        <source>正在读取案件…</source>
        <translation>Loading case…</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="246"/>
        <source>优先级：</source>
        <translation>Priority: </translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="251"/>
        <source>此案件已「{state}」，不在待办列表中。{when}</source>
        <translation>This case is “{state}” and no longer on the to-do list. {when}</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="257"/>
        <source>未指定</source>
        <translation>Not specified</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="261"/>
        <source>未留姓名和电话</source>
        <translation>No name or phone left</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="288"/>
        <source>{when}（已 {age}）</source>
        <translation>{when} ({age} ago)</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="296"/>
        <source>可能与案件 #{id} 重复</source>
        <translation>May duplicate case #{id}</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="297"/>
        <source>可能与 {code}「{title}」重复（{state}）</source>
        <translation>May duplicate {code} “{title}” ({state})</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="309"/>
        <source>签收 {when}</source>
        <translation>Sign for by {when}</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="311"/>
        <source>办结 {when}</source>
        <translation>Due {when}</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="319"/>
        <source>退回 {n} 次</source>
        <translation>Returned {n}×</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="319"/>
        <source>返工 {n} 次</source>
        <translation>Reworked {n}×</translation>
    </message>
    <message>
        <location filename="../../views/case_detail.py" line="320"/>
        <source>督办 {n} 次</source>
        <translation>Supervised {n}×</translation>
    </message>
</context>
<context>
    <name>CaseDrill</name>
    <message>
        <location filename="../../views/wall_drill.py" line="50"/>
        <location filename="../../views/wall_drill.py" line="143"/>
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="50"/>
        <location filename="../../views/wall_drill.py" line="143"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="50"/>
        <location filename="../../views/wall_drill.py" line="144"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="50"/>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="51"/>
        <location filename="../../views/wall_drill.py" line="145"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="51"/>
        <source>上报时间</source>
        <translation>Reported at</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="57"/>
        <source>请加快办理，按期办结</source>
        <translation>Please speed up and close on time</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="58"/>
        <location filename="../../views/wall_drill.py" line="171"/>
        <source>督办</source>
        <translation>Supervise</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="59"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="74"/>
        <source>督办意见：</source>
        <translation>Instruction:</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="92"/>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="100"/>
        <location filename="../../views/wall_drill.py" line="106"/>
        <source>读取失败：{0}</source>
        <translation>Loading failed: {0}</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="122"/>
        <source>（仅显示最新 {0} 件）</source>
        <translation> (the newest {0} only)</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="123"/>
        <source>共 {0} 件</source>
        <translation>{0} cases</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="127"/>
        <source>没有符合条件的案件。</source>
        <translation>No cases match.</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="146"/>
        <source>承办部门</source>
        <translation>Lead department</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="148"/>
        <source>上报</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="149"/>
        <source>办理时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="150"/>
        <source>督办次数</source>
        <translation>Supervisions</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="151"/>
        <source>描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../views/wall_drill.py" line="167"/>
        <source>已督办 {0}（第 {1} 次）</source>
        <translation>Supervised {0} (time {1})</translation>
    </message>
</context>
<context>
    <name>CaseListFilter</name>
    <message>
        <location filename="../../views/intake.py" line="56"/>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="56"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="56"/>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="56"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="57"/>
        <source>乡镇 / 网格</source>
        <translation>Township / grid</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="57"/>
        <source>已上报</source>
        <translation>Age</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="57"/>
        <source>优先级</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="58"/>
        <source>疑似重复</source>
        <translation>Duplicate?</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="58"/>
        <source>责任部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="58"/>
        <source>时限</source>
        <translation>Deadline</translation>
    </message>
</context>
<context>
    <name>CaseModel</name>
    <message>
        <location filename="../../app/models/cases.py" line="46"/>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="46"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="47"/>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="47"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="48"/>
        <source>乡镇 / 网格</source>
        <translation>Township / grid</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="48"/>
        <source>已上报</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="49"/>
        <source>优先级</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="49"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="50"/>
        <source>责任部门</source>
        <translation>Lead dept.</translation>
    </message>
    <message>
        <location filename="../../app/models/cases.py" line="50"/>
        <source>时限</source>
        <translation>Deadline</translation>
    </message>
</context>
<context>
    <name>CategoryChart</name>
    <message>
        <location filename="../../widgets/wall_category.py" line="73"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>Checklist</name>
    <message>
        <location filename="../../widgets/checklist.py" line="23"/>
        <source>输入名称筛选</source>
        <translation>Filter by name</translation>
    </message>
</context>
<context>
    <name>ConnectionBadge</name>
    <message>
        <location filename="../../widgets/connection_badge.py" line="22"/>
        <location filename="../../widgets/connection_badge.py" line="34"/>
        <source>正在连接服务器…</source>
        <translation>Connecting to server…</translation>
    </message>
    <message>
        <location filename="../../widgets/connection_badge.py" line="47"/>
        <source>尚无事件</source>
        <translation>No events yet</translation>
    </message>
    <message>
        <location filename="../../widgets/connection_badge.py" line="51"/>
        <source>最近事件 {0}（{1} 秒前）</source>
        <translation>Last event {0} ({1} s ago)</translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <location filename="../../views/console_window.py" line="36"/>
        <source>昌南治理指挥中心 — 值班员调度台</source>
        <translation>Changnan Governance Command Center — Duty Officer Console</translation>
    </message>
    <message>
        <location filename="../../views/console_window.py" line="47"/>
        <source>待受理</source>
        <translation>Intake</translation>
    </message>
    <message>
        <location filename="../../views/console_window.py" line="47"/>
        <source>退回仲裁</source>
        <translation>Returns</translation>
    </message>
    <message>
        <location filename="../../views/console_window.py" line="48"/>
        <source>吹哨报到</source>
        <translation>Whistles</translation>
    </message>
    <message>
        <location filename="../../views/console_window.py" line="48"/>
        <source>时限督办</source>
        <translation>Deadlines</translation>
    </message>
    <message>
        <location filename="../../views/console_window.py" line="89"/>
        <source>提示音</source>
        <translation>Sound</translation>
    </message>
    <message>
        <location filename="../../views/console_window.py" line="92"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../views/console_window.py" line="118"/>
        <source>{0} 列表显示的是断开前的数据，操作将在重新连接后生效或失败提示。</source>
        <translation>{0} The lists show data from before the disconnection; actions take effect, or report failure, once reconnected.</translation>
    </message>
    <message>
        <location filename="../../views/console_window.py" line="126"/>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../../views/console_window.py" line="140"/>
        <source>待受理 ({0})</source>
        <translation>Intake ({0})</translation>
    </message>
    <message>
        <location filename="../../views/console_window.py" line="141"/>
        <source>退回仲裁 ({0})</source>
        <translation>Returns ({0})</translation>
    </message>
</context>
<context>
    <name>DeadlinesPanel</name>
    <message>
        <location filename="../../views/deadlines.py" line="61"/>
        <location filename="../../views/deadlines.py" line="167"/>
        <source>选择一件事件以督办</source>
        <translation>Select a case to supervise</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="70"/>
        <source>督办意见（必填）</source>
        <translation>Supervision note (required)</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="71"/>
        <source>督办</source>
        <translation>Supervise</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="167"/>
        <source>该事件已不在办理中</source>
        <translation>This case is no longer being handled</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="175"/>
        <source>地点：{place}&#x3000;优先级：{priority}</source>
        <translation>Place: {place}&#x2003;Priority: {priority}</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="178"/>
        <source>状态：{state}&#x3000;责任部门：{lead}</source>
        <translation>State: {state}&#x2003;Department: {lead}</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="181"/>
        <source>派遣：{dispatched}&#x3000;签收时限：{sign}</source>
        <translation>Dispatched: {dispatched}&#x2003;Sign for by: {sign}</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="183"/>
        <source>办结时限：{due}&#x3000;升级时限：{escalate}</source>
        <translation>Due: {due}&#x2003;Escalates: {escalate}</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="186"/>
        <source>已督办 {n} 次</source>
        <translation>Supervisions: {n}</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="195"/>
        <source>无时限</source>
        <translation>No deadline</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="207"/>
        <source>已超期 / 已升级 / 签收超时（{n}）</source>
        <translation>Overdue / escalated / sign-for late ({n})</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="208"/>
        <source>即将超期（{n}）</source>
        <translation>Due soon ({n})</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="217"/>
        <source>请填写督办意见</source>
        <translation>Enter a supervision note</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="221"/>
        <source>正在提交…</source>
        <translation>Submitting…</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="235"/>
        <source>已督办（第 {n} 次）</source>
        <translation>Supervised (#{n})</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="242"/>
        <source>该事件</source>
        <translation>This case</translation>
    </message>
    <message>
        <location filename="../../views/deadlines.py" line="246"/>
        <source>「{state}」，已督办 {n} 次</source>
        <translation>“{state}”, supervisions: {n}</translation>
    </message>
</context>
<context>
    <name>DepartmentBoard</name>
    <message>
        <location filename="../../widgets/department_board.py" line="302"/>
        <source>把事件拖到部门上即可派遣；拖动时显示各部门实时负荷</source>
        <translation>Drag a case onto a department to dispatch it; the board shows each department&apos;s live load</translation>
    </message>
    <message>
        <location filename="../../widgets/department_board.py" line="418"/>
        <source>职能部门（%1）· 在办 %2</source>
        <translation>Departments (%1) · open %2</translation>
    </message>
    <message>
        <location filename="../../widgets/department_board.py" line="420"/>
        <source> · 超期 %1</source>
        <translation> · overdue %1</translation>
    </message>
</context>
<context>
    <name>DepartmentTile</name>
    <message>
        <location filename="../../widgets/department_board.py" line="160"/>
        <source>在办 %1 · 超期 %2 · 待报到 %3</source>
        <translation>Open %1 · late %2 · arrive %3</translation>
    </message>
    <message>
        <location filename="../../widgets/department_board.py" line="162"/>
        <source>在办 %1</source>
        <translation>Open %1</translation>
    </message>
    <message>
        <location filename="../../widgets/department_board.py" line="164"/>
        <source> · 超期 %1</source>
        <translation> · late %1</translation>
    </message>
    <message>
        <location filename="../../widgets/department_board.py" line="169"/>
        <source>%1
在办 %2 件（待签收 %3）
超期 %4 件
吹哨待报到 %5 处</source>
        <translation>%1
Open: %2 (awaiting sign-for: %3)
Overdue: %4
Whistle arrivals pending: %5</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="200"/>
        <source>牵头部门</source>
        <translation>Lead department</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="207"/>
        <source>%1（%2个工作日）</source>
        <translation>%1 (%2 working days)</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="215"/>
        <source>办理类别</source>
        <translation>Handling type</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="221"/>
        <source>筛选部门名称</source>
        <translation>Filter departments</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="240"/>
        <source>⇲ 把本事件再拖到看板上的部门，即添加为协办</source>
        <translation>⇲ Drag this case onto another department on the board to add a co-handler</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="243"/>
        <source>协办部门</source>
        <translation>Co-departments</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="249"/>
        <source>派遣说明（可选，最多2000字）</source>
        <translation>Dispatch note (optional, up to 2000 characters)</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="251"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="337"/>
        <source>已选：%1</source>
        <translation>Selected: %1</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="338"/>
        <source>未选协办部门（可勾选，或把事件再拖到其他部门上）</source>
        <translation>No co-departments (tick some, or drag the case onto other departments)</translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <location filename="../../widgets/wall_charts.py" line="39"/>
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_charts.py" line="39"/>
        <source>昨日</source>
        <translation>Yesterday</translation>
    </message>
</context>
<context>
    <name>IntakePanel</name>
    <message>
        <location filename="../../views/intake.py" line="96"/>
        <source>搜索 编号、标题、类别、地点、描述…</source>
        <translation>Search no., title, category, place…</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="112"/>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="124"/>
        <source>拖到右侧部门上即可派遣</source>
        <translation>Drag onto a department on the right to dispatch</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="190"/>
        <source>全部渠道</source>
        <translation>All channels</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="276"/>
        <source>待受理  {n} 件</source>
        <translation>Awaiting intake: {n}</translation>
    </message>
    <message>
        <location filename="../../views/intake.py" line="277"/>
        <source>已立案 · 待派遣  {n} 件</source>
        <translation>Registered, to dispatch: {n}</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <location filename="../../views/launch.py" line="91"/>
        <source>服务器拒绝了登录：{0}</source>
        <translation>The server refused the login: {0}</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../views/login.py" line="12"/>
        <source>登录 — 昌南治理指挥中心</source>
        <translation>Log in — Changnan Governance Command Center</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="16"/>
        <source>令牌，或留空改用用户名和密码</source>
        <translation>Token, or leave empty to use user name and password</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="25"/>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="26"/>
        <source>令牌</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="27"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="28"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="30"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="41"/>
        <source>服务器地址应以 ws:// 或 wss:// 开头</source>
        <translation>The server address must start with ws:// or wss://</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="43"/>
        <source>请输入令牌，或用户名和密码</source>
        <translation>Enter a token, or a user name and password</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../../widgets/notice_bar.py" line="34"/>
        <source>关闭提示</source>
        <translation>Dismiss</translation>
    </message>
</context>
<context>
    <name>RankingList</name>
    <message>
        <location filename="../../widgets/ranking_list.py" line="153"/>
        <source>暂无数据</source>
        <translation>No data</translation>
    </message>
</context>
<context>
    <name>RateGauge</name>
    <message>
        <location filename="../../widgets/wall_gauge.py" line="59"/>
        <source>暂无数据</source>
        <translation>No data</translation>
    </message>
</context>
<context>
    <name>RecallDialog</name>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="350"/>
        <source>撤回派遣</source>
        <translation>Recall dispatch</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="351"/>
        <source>撤回</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="352"/>
        <source>撤回后该事件回到「已立案」，%1 将不再看到它，时限清零。确定撤回吗？</source>
        <translation>After the recall the case goes back to “Registered”, %1 no longer sees it, and its deadlines are cleared. Recall it?</translation>
    </message>
    <message>
        <location filename="../../views/dispatch_dialog.py" line="356"/>
        <source>撤回原因（可选），如：派错部门</source>
        <translation>Reason (optional), e.g. wrong department</translation>
    </message>
</context>
<context>
    <name>Reference</name>
    <message>
        <location filename="../../app/models/reference.py" line="36"/>
        <source>待受理</source>
        <translation>Awaiting intake</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="36"/>
        <source>已立案</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="37"/>
        <source>不予立案</source>
        <translation>Declined</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="37"/>
        <source>待签收</source>
        <translation>Awaiting sign-for</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="38"/>
        <source>退回待仲裁</source>
        <translation>Returned, to arbitrate</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="38"/>
        <source>处置中</source>
        <translation>Handling</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="39"/>
        <source>待核查</source>
        <translation>Awaiting verification</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="39"/>
        <source>核查通过</source>
        <translation>Verified</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="40"/>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="40"/>
        <source>已评价</source>
        <translation>Evaluated</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="43"/>
        <source>及时办</source>
        <translation>Immediate</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="43"/>
        <source>协调办</source>
        <translation>Coordinated</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="44"/>
        <source>统筹办</source>
        <translation>County-planned</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="47"/>
        <source>特急</source>
        <translation>Critical</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="47"/>
        <source>紧急</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="48"/>
        <source>一般</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="48"/>
        <source>较缓</source>
        <translation>Low</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="51"/>
        <source>正常</source>
        <translation>On track</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="51"/>
        <source>即将超期</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="52"/>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="52"/>
        <source>已升级</source>
        <translation>Escalated</translation>
    </message>
    <message>
        <location filename="../../app/models/reference.py" line="85"/>
        <source>部门{0}</source>
        <translation>Dept. {0}</translation>
    </message>
</context>
<context>
    <name>RegistrationForm</name>
    <message>
        <location filename="../../views/registration_form.py" line="42"/>
        <source>立案说明（可不填），如：已电话核实</source>
        <translation>Note (optional), e.g. verified by phone</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="43"/>
        <source>立案</source>
        <translation>Register</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="48"/>
        <source>不予立案的理由（必填）</source>
        <translation>Reason for declining (required)</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="49"/>
        <source>不予立案</source>
        <translation>Decline</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="58"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="60"/>
        <source>优先级</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="62"/>
        <source>乡镇</source>
        <translation>Township</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="64"/>
        <source>网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="96"/>
        <source>（未指定）</source>
        <translation>(not specified)</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="104"/>
        <source>（不指定网格）</source>
        <translation>(no grid)</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="121"/>
        <source>立案需要类别，请填写或选择类别。</source>
        <translation>Registering needs a category: enter or choose one.</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="127"/>
        <source>已更改乡镇，请同时选择该乡镇的网格。</source>
        <translation>Township changed: choose a grid in it too.</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="146"/>
        <source>受理：立案或不予立案</source>
        <translation>Intake: register or decline</translation>
    </message>
    <message>
        <location filename="../../views/registration_form.py" line="148"/>
        <source>受理（案件已「{state}」，不能再立案；以下是您未提交的内容）</source>
        <translation>Intake (the case is “{state}” and can no longer be registered; below is what you did not submit)</translation>
    </message>
</context>
<context>
    <name>ReturnedFilter</name>
    <message>
        <location filename="../../views/returns.py" line="50"/>
        <source>退回理由</source>
        <translation>Return reason</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="50"/>
        <source>退回部门</source>
        <translation>Returned by</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="50"/>
        <source>时限</source>
        <translation>Deadline</translation>
    </message>
</context>
<context>
    <name>ReturnsPanel</name>
    <message>
        <location filename="../../views/returns.py" line="120"/>
        <source>仲裁</source>
        <translation>Arbitration</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="129"/>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="129"/>
        <source>退回部门</source>
        <translation>Returned by</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="130"/>
        <source>退回理由</source>
        <translation>Return reason</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="131"/>
        <source>退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="131"/>
        <source>原办理类别</source>
        <translation>Original type</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="132"/>
        <source>时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="132"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="140"/>
        <source>改派其他部门</source>
        <translation>Reassign to another department</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="141"/>
        <source>维持原部门（退回理由不成立）</source>
        <translation>Keep the department (return not justified)</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="153"/>
        <source>责任部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="155"/>
        <source>办理类别</source>
        <translation>Handling type</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="159"/>
        <source>仲裁说明（记入办理过程），如：属于城管职责</source>
        <translation>Arbitration note, e.g. urban management</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="160"/>
        <source>提交仲裁</source>
        <translation>Submit arbitration</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="177"/>
        <source>办理过程</source>
        <translation>Case history</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="226"/>
        <source>维持原部门</source>
        <translation>Keep department</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="230"/>
        <source>改派需要选择新的责任部门，未提交。</source>
        <translation>Reassigning needs a new department; not submitted.</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="235"/>
        <source>改派</source>
        <translation>Reassign</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="241"/>
        <source>正在提交仲裁…</source>
        <translation>Submitting arbitration…</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="248"/>
        <source>已改派 {department}</source>
        <translation>Reassigned to {department}</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="248"/>
        <source>已维持 {department} 办理</source>
        <translation>Kept with {department}</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="249"/>
        <source>，{code} 现为「{state}」。</source>
        <translation>; {code} is now “{state}”.</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="266"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="277"/>
        <source>在左侧选择一个退回的案件</source>
        <translation>Select a returned case on the left</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="278"/>
        <source>正在读取案件…</source>
        <translation>Loading case…</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="292"/>
        <source>{who} 于 {when}，共退回 {n} 次</source>
        <translation>{who} at {when}; returned {n}× in all</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="294"/>
        <source>共退回 {n} 次</source>
        <translation>Returned {n}× in all</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="313"/>
        <source>{state}（无需仲裁）</source>
        <translation>{state} (no arbitration needed)</translation>
    </message>
    <message>
        <location filename="../../views/returns.py" line="316"/>
        <source>退回待仲裁  {n} 件</source>
        <translation>Awaiting arbitration: {n}</translation>
    </message>
</context>
<context>
    <name>ReviewForm</name>
    <message>
        <location filename="../../views/whistle_review.py" line="22"/>
        <source>呼叫部门：勾选，或把部门拖到这条吹哨上</source>
        <translation>Departments to call: tick them, or drag a department onto this whistle</translation>
    </message>
    <message>
        <location filename="../../views/whistle_review.py" line="23"/>
        <source>输入部门名称筛选</source>
        <translation>Filter departments by name</translation>
    </message>
    <message>
        <location filename="../../views/whistle_review.py" line="29"/>
        <source>{label}（{days}个工作日）</source>
        <translation>{label} ({days} working days)</translation>
    </message>
    <message>
        <location filename="../../views/whistle_review.py" line="31"/>
        <source>批准并呼叫部门</source>
        <translation>Approve and call</translation>
    </message>
    <message>
        <location filename="../../views/whistle_review.py" line="34"/>
        <source>驳回理由（必填），如：属村内调解范围</source>
        <translation>Reason for rejecting (required), e.g. village mediation matter</translation>
    </message>
    <message>
        <location filename="../../views/whistle_review.py" line="36"/>
        <source>驳回</source>
        <translation>Reject</translation>
    </message>
    <message>
        <location filename="../../views/whistle_review.py" line="39"/>
        <source>办理类别</source>
        <translation>Handling type</translation>
    </message>
    <message>
        <location filename="../../views/whistle_review.py" line="61"/>
        <source>村里点名</source>
        <translation>named by village</translation>
    </message>
    <message>
        <location filename="../../views/whistle_review.py" line="61"/>
        <source>挂点</source>
        <translation>attached</translation>
    </message>
    <message>
        <location filename="../../views/whistle_review.py" line="77"/>
        <source>已选 {n} 个：</source>
        <translation>{n} selected: </translation>
    </message>
    <message>
        <location filename="../../views/whistle_review.py" line="78"/>
        <source>尚未选择部门</source>
        <translation>No department selected</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <location filename="../../widgets/timeline.py" line="126"/>
        <source>暂无记录</source>
        <translation>No records yet</translation>
    </message>
</context>
<context>
    <name>TourBar</name>
    <message>
        <location filename="../../views/video_tours.py" line="25"/>
        <location filename="../../views/video_tours.py" line="58"/>
        <source>开始轮巡</source>
        <translation>Start tour</translation>
    </message>
    <message>
        <location filename="../../views/video_tours.py" line="31"/>
        <source>轮巡</source>
        <translation>Tour</translation>
    </message>
    <message>
        <location filename="../../views/video_tours.py" line="58"/>
        <source>停止轮巡</source>
        <translation>Stop tour</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../../widgets/wall_charts.py" line="102"/>
        <source>上报</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_charts.py" line="103"/>
        <source>办结</source>
        <translation>Closed</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../widgets/video_tile.py" line="196"/>
        <source>连接中</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="196"/>
        <source>画面冻结</source>
        <translation>Frozen</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="196"/>
        <location filename="../../widgets/video_tile.py" line="207"/>
        <location filename="../../widgets/video_tile.py" line="306"/>
        <source>信号中断</source>
        <translation>Signal lost</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="202"/>
        <source>拖入摄像头</source>
        <translation>Drop a camera here</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="208"/>
        <source>{n} 秒前</source>
        <translation>{n} s ago</translation>
    </message>
    <message>
        <location filename="../../widgets/video_tile.py" line="208"/>
        <source>{n} 分钟前</source>
        <translation>{n} min ago</translation>
    </message>
</context>
<context>
    <name>VideoWindow</name>
    <message>
        <location filename="../../views/video_window.py" line="54"/>
        <source>昌南治理指挥中心 — 视频墙</source>
        <translation>Changnan Command Center — Video wall</translation>
    </message>
    <message>
        <location filename="../../views/video_window.py" line="82"/>
        <source>分屏</source>
        <translation>Layout</translation>
    </message>
    <message>
        <location filename="../../views/video_window.py" line="216"/>
        <source>解码 {0}/{1} 路</source>
        <translation>Decoding {0}/{1} streams</translation>
    </message>
</context>
<context>
    <name>WallFigures</name>
    <message>
        <location filename="../../views/wall_map_link.py" line="20"/>
        <source>人员聚集</source>
        <translation>Crowd</translation>
    </message>
    <message>
        <location filename="../../views/wall_map_link.py" line="20"/>
        <source>烟火</source>
        <translation>Fire/smoke</translation>
    </message>
    <message>
        <location filename="../../views/wall_map_link.py" line="21"/>
        <source>区域入侵</source>
        <translation>Intrusion</translation>
    </message>
    <message>
        <location filename="../../views/wall_map_link.py" line="22"/>
        <source>夜间异常活动</source>
        <translation>Night activity</translation>
    </message>
    <message>
        <location filename="../../views/wall_map_link.py" line="23"/>
        <source>交通事故</source>
        <translation>Traffic accident</translation>
    </message>
    <message>
        <location filename="../../views/wall_map_link.py" line="24"/>
        <source>违规倾倒</source>
        <translation>Illegal dumping</translation>
    </message>
    <message>
        <location filename="../../views/wall_map_link.py" line="25"/>
        <source>积水内涝</source>
        <translation>Flooding</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="47"/>
        <source>今日上报</source>
        <translation>Reported today</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="48"/>
        <source>立案</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="49"/>
        <source>派遣</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="50"/>
        <source>处置中</source>
        <translation>In handling</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="51"/>
        <source>今日办结</source>
        <translation>Closed today</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="53"/>
        <source>超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="55"/>
        <source>按期办结率</source>
        <translation>On-time closure</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="57"/>
        <source>满意率</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="59"/>
        <source>今日吹哨</source>
        <translation>Whistles today</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="60"/>
        <source>报到按时率</source>
        <translation>Arrivals on time</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="66"/>
        <source>12345热线</source>
        <translation>12345 hotline</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="67"/>
        <source>数字城管</source>
        <translation>Digital city</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="68"/>
        <source>平安志愿者</source>
        <translation>Volunteers</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="69"/>
        <source>市综治平台</source>
        <translation>City platform</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="70"/>
        <source>网格员APP</source>
        <translation>Grid app</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="71"/>
        <source>群众APP</source>
        <translation>Citizen app</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="72"/>
        <source>来访窗口</source>
        <translation>Walk-in</translation>
    </message>
    <message>
        <location filename="../../views/wall_figures.py" line="73"/>
        <source>视频告警</source>
        <translation>Video alarm</translation>
    </message>
</context>
<context>
    <name>WallPanel</name>
    <message>
        <location filename="../../widgets/wall_panel.py" line="72"/>
        <source>数据截至 %1</source>
        <translation>Data as of %1</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_panel.py" line="74"/>
        <source>（已过时）</source>
        <translation> (stale)</translation>
    </message>
</context>
<context>
    <name>WallPlot</name>
    <message>
        <location filename="../../widgets/wall_plot.py" line="129"/>
        <source>暂无数据</source>
        <translation>No data</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../views/wall_window.py" line="55"/>
        <source>昌南治理指挥中心 — 领导大屏</source>
        <translation>Changnan Command Center — Leaders&apos; wall</translation>
    </message>
    <message>
        <location filename="../../views/wall_window.py" line="96"/>
        <source>昌南治理指挥中心 · 社会治理态势</source>
        <translation>Changnan Command Center · Governance situation</translation>
    </message>
    <message>
        <location filename="../../views/wall_window.py" line="155"/>
        <source>数据截至 {0}</source>
        <translation>Data as of {0}</translation>
    </message>
    <message>
        <location filename="../../views/wall_window.py" line="155"/>
        <source>正在读取数据…</source>
        <translation>Loading data…</translation>
    </message>
    <message>
        <location filename="../../views/wall_window.py" line="158"/>
        <source>与指挥中心服务器的连接已中断：画面停留在 {0} 的数据，正在自动重连…</source>
        <translation>Connection to the command center server lost: showing the data of {0}, reconnecting…</translation>
    </message>
    <message>
        <location filename="../../views/wall_window.py" line="226"/>
        <source>案件详情</source>
        <translation>Case details</translation>
    </message>
</context>
<context>
    <name>WhistlesPanel</name>
    <message>
        <location filename="../../views/whistles.py" line="150"/>
        <source>在左侧选择一条吹哨</source>
        <translation>Select a whistle on the left</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="190"/>
        <source>吹哨报到</source>
        <translation>Whistle and report</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="191"/>
        <source>村（社区）吹哨，部门报到：一个工作日内到场</source>
        <translation>A village (community) blows the whistle; departments report on site within one working day</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="197"/>
        <source>{code} · {place} · {state} · {who} 于 {when} 吹哨</source>
        <translation>{code} · {place} · {state} · whistle by {who} at {when}</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="203"/>
        <source>村里请求：</source>
        <translation>Village request: </translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="205"/>
        <source>驳回理由：</source>
        <translation>Rejection reason: </translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="230"/>
        <source>{who} 于 {when} 到场</source>
        <translation>{who} arrived {when}</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="233"/>
        <source>报到时限 {when}</source>
        <translation>Arrive by {when}</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="237"/>
        <source>{cls} · 批准于 {approved} · 办结时限 {due}</source>
        <translation>{cls} · approved {approved} · due {due}</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="240"/>
        <source> · 已于 {when} 解决</source>
        <translation> · resolved {when}</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="278"/>
        <source>该吹哨已被 {who} 于 {when} 处理，现为{now}</source>
        <translation>{who} handled this whistle at {when}; it is now {now}</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="291"/>
        <source>请至少选择一个部门再批准</source>
        <translation>Choose at least one department to approve</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="295"/>
        <source>已批准，已呼叫 {n} 个部门，报到倒计时开始</source>
        <translation>Approved: {n} department(s) called; the arrival countdown has started</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="303"/>
        <source>驳回必须填写理由</source>
        <translation>Rejecting needs a reason</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="307"/>
        <source>已驳回</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="318"/>
        <source>正在提交…</source>
        <translation>Submitting…</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="338"/>
        <source>该吹哨</source>
        <translation>This whistle</translation>
    </message>
    <message>
        <location filename="../../views/whistles.py" line="364"/>
        <source>无法识别的部门：{ids}</source>
        <translation>Unknown departments: {ids}</translation>
    </message>
</context>
</TS>
